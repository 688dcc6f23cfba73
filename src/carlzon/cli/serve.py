"""`carlzon serve`: the web app and the REST API under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from carlzon.cli._render import console, handle_errors, plain, settings_from
from carlzon.cli.common import DatabaseOption, WorkspaceOption


@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (each with its own database pool).")] = 1,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Serve the web app (pages) and the REST API (/api/v1, documented at /docs).

    Create the first admin before signing in: carlzon users add NAME --admin

    Example: carlzon serve --port 8000   (then open http://127.0.0.1:8000/)
    """
    import os

    import uvicorn

    from carlzon.errors import InputError
    from carlzon.storage import Store

    if workers < 1:
        raise InputError("--workers must be at least 1")
    settings = settings_from(workspace, database_url)
    store = Store.from_settings(settings)
    try:
        store.check_schema()  # a database that needs `carlzon db upgrade` is said before serving
        users = store.count_users()
    finally:
        store.dispose()
    if users == 0:
        console.print("[yellow]no users yet:[/] create the first admin with: carlzon users add NAME --admin")
    console.print(f"serving on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    if "127.0.0.1" in settings.public_url or "localhost" in settings.public_url:
        console.print(
            f"survey links and QR codes point at {plain(settings.public_url)}, which only this machine "
            "reaches: set CARLZON_PUBLIC_URL to where customers reach this server (e.g. https://cx.example.com)"
        )
    # The app factory is rebuilt in each worker process from the same settings (environment).
    os.environ["CARLZON_WORKSPACE"] = str(settings.workspace)
    if database_url:
        os.environ["CARLZON_DATABASE_URL"] = database_url
    uvicorn.run(
        "carlzon.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
        server_header=False,
    )
