"""Schema migrations with Alembic, driven from Python so no alembic.ini is needed."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from carlzon.errors import StorageError


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("carlzon.storage") / "migrations"))
    return config


def head_revision() -> str | None:
    """The newest migration shipped with this version of Carlzon."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the database schema up to ``revision``; returns the revision reached."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return current_revision(engine)


def require_current(engine: Engine) -> None:
    """Raise StorageError telling the user to upgrade when the schema is behind."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise StorageError(
            f"the database schema is at {current or 'nothing'} but this Carlzon needs {head}; run: carlzon db upgrade"
        )
