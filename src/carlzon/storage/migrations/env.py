"""Alembic environment: runs on the connection Carlzon hands it (see storage/migrate.py)."""

from __future__ import annotations

from alembic import context

from carlzon.storage import survey_tables  # noqa: F401  (its tables join Base.metadata)
from carlzon.storage.tables import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("carlzon migrations run through carlzon.storage.migrate.upgrade(), not bare alembic")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
