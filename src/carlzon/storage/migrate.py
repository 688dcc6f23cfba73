"""Schema migrations with Alembic, driven from Python so no alembic.ini is needed.

Every command checks the schema before it reads; that check reads the ``alembic_version`` table
with plain SQL against ``HEAD`` (a test keeps HEAD equal to the newest migration), so it costs no
import of Alembic, whose import alone takes longer than a quick command should.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from carlzon.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

HEAD = "0018"  # the newest migration in migrations/versions
_MIGRATION_LOCK = 0x4341524C5A4F4E  # "CARLZON": the advisory lock migrations take on PostgreSQL


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("carlzon.storage") / "migrations"))
    return config


def head_revision() -> str | None:
    """The newest migration shipped with this version of Carlzon (read from the migration scripts)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the database schema up to ``revision``; returns the revision reached."""
    from alembic import command

    config = _config()
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Two first commands on an empty database would both create the schema and one would fail
            # on alembic_version; the second waits here, then finds the schema current.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return current_revision(engine)


def require_current(engine: Engine) -> None:
    """Raise StorageError telling the user to upgrade when the schema is behind."""
    current = current_revision(engine)
    if current != HEAD:
        raise StorageError(
            f"the database schema is at {current or 'nothing'} but this Carlzon needs {HEAD}; run: carlzon db upgrade"
        )
