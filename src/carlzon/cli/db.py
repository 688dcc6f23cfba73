"""`carlzon db`: create and migrate the database."""

from __future__ import annotations

import typer

from carlzon.cli._render import console, handle_errors, settings_from
from carlzon.cli.common import DatabaseOption, WorkspaceOption

app = typer.Typer(help="Create and migrate the database (SQLite by default, PostgreSQL by URL).", no_args_is_help=True)


@app.command()
@handle_errors
def upgrade(workspace: WorkspaceOption = None, database_url: DatabaseOption = None) -> None:
    """Create the database or migrate it to the newest schema.

    Example: carlzon db upgrade --database-url postgresql+psycopg://localhost/carlzon
    """
    from carlzon.storage import Store

    store = Store.from_settings(settings_from(workspace, database_url))
    try:
        revision = store.upgrade()
    finally:
        store.dispose()
    console.print(f"database at revision [bold]{revision}[/] ({store.dialect})")


@app.command()
@handle_errors
def current(workspace: WorkspaceOption = None, database_url: DatabaseOption = None) -> None:
    """Show the schema revision the database is at and the newest one available.

    Example: carlzon db current
    """
    from carlzon.storage import Store
    from carlzon.storage.migrate import current_revision, head_revision

    store = Store.from_settings(settings_from(workspace, database_url))
    try:
        console.print(f"current: {current_revision(store.engine) or 'empty'}; newest: {head_revision()}")
    finally:
        store.dispose()
