"""Workspace facts kept with the data: the privacy key that hashes customer ids, and its fingerprint.

The key is drawn at random here, once per database, so every process on the database (CLI, web,
workers) hashes a customer id the same way without a file to share. ``CARLZON_PRIVACY_KEY``
replaces it where a copy of the database must not be enough to match ids back.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import hashlib
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "workspace_meta",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    key = secrets.token_bytes(32)
    fingerprint = hashlib.sha256(b"carlzon-privacy-key\x00" + key).hexdigest()[:16]  # pseudonyms.key_fingerprint
    op.bulk_insert(
        table,
        [{"name": "privacy_key", "value": key.hex()}, {"name": "privacy_key_fingerprint", "value": fingerprint}],
    )


def downgrade() -> None:
    op.drop_table("workspace_meta")
