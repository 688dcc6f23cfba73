"""Make a SQLAlchemy engine from a URL: the URL alone chooses SQLite or PostgreSQL.

Dialect-specific set-up lives here and in store.py only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from carlzon.errors import ConfigError

SUPPORTED_DIALECTS = ("sqlite", "postgresql")


def make_engine(url: str, busy_timeout: float = 30.0) -> Engine:
    """An engine for ``url``; SQLite gets WAL and foreign keys, PostgreSQL a pre-pinged pool."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"database URL {url!r} is not a valid SQLAlchemy URL") from exc
    dialect = parsed.get_backend_name()
    if dialect not in SUPPORTED_DIALECTS:
        raise ConfigError(
            f"database dialect '{dialect}' is not supported; use sqlite:///path.db or postgresql+psycopg://user@host/db"
        )
    if dialect == "sqlite":
        return _sqlite_engine(url, parsed.database, busy_timeout)
    try:
        return create_engine(url, pool_pre_ping=True, future=True)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise ConfigError("PostgreSQL needs the psycopg driver: pip install 'carlzon[postgres]'") from exc


# SQLite connections are kept, not opened per use: opening one runs the pragmas below, which cost
# more than a small transaction. Enough for the web server's threads (CARLZON_WEB_THREADS) and its
# event loop; a thread beyond them waits for a free connection.
POOL_SIZE = 32


def _sqlite_engine(url: str, database: str | None, busy_timeout: float) -> Engine:
    if database and database != ":memory:":
        folder = Path(database).parent
        if folder.exists() and not folder.is_dir():
            raise ConfigError(f"the workspace {folder} is a file, not a folder; give --workspace a folder")
        # The folder is made by Store.upgrade (carlzon db upgrade, import, demo): a command that
        # only reads must not leave an empty workspace behind a typo in --workspace.
    # A writer waits this long for another to finish (sqlite3 retries the lock meanwhile) before
    # the store says the database is busy; imports commit batches of a second or less.
    engine = create_engine(
        url, future=True, connect_args={"timeout": busy_timeout}, pool_size=POOL_SIZE, max_overflow=0, pool_timeout=60
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def read_frame(engine: Engine, query, columns: Sequence[str] | None = None) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The rows of ``query`` as a frame (``columns`` names them, else the query's labels)."""
    with engine.connect() as connection:
        result = connection.execute(query)
        # Plain tuples: given Row objects, pandas probes each one for namedtuple attributes, and
        # every probe raises inside SQLAlchemy (4.5x slower; bench/RESULTS.md, "read_frame").
        rows = [tuple(row) for row in result]
        return pd.DataFrame(rows, columns=list(columns or result.keys()))


def read_frame_unprocessed(engine: Engine, query, columns: Sequence[str]) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """``read_frame`` for the hot read paths, straight from the driver's rows, without
    SQLAlchemy's per-row result processing (half the time on SQLite). Only for queries whose
    columns need none: numbers and text, and date-times the caller parses with pd.to_datetime
    (SQLite returns them as text) - never JSON columns."""
    with engine.connect() as connection:
        rows = connection.execute(query).cursor.fetchall()
        return pd.DataFrame(rows, columns=list(columns))


def as_utc(value: datetime | None) -> datetime | None:
    """A stored date-time in UTC (SQLite gives them back without a zone: they were written in UTC)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
