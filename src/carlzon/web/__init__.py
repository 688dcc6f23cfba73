"""The web app and REST API (FastAPI): thin routes over the same services as the CLI."""

from carlzon.web.app import create_app

__all__ = ["create_app"]
