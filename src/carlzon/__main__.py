"""``python -m carlzon`` runs the CLI."""

from carlzon.cli import app

app()
