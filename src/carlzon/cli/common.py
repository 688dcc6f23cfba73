"""Options shared by several commands."""

from __future__ import annotations

from typing import Annotated

import typer

WorkspaceOption = Annotated[
    str | None,
    typer.Option("--workspace", "-w", help="Workspace folder (default: $CARLZON_WORKSPACE or ./carlzon-workspace)."),
]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL (default: $CARLZON_DATABASE_URL or the workspace's SQLite file).",
    ),
]
