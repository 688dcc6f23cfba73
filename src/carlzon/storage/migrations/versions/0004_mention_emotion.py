"""The emotion of each touchpoint mention (poor / neutral / happy / surprised), for the journey map.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("touchpoint_mentions") as batch:
        batch.add_column(sa.Column("emotion", sa.String(16), nullable=False, server_default="neutral"))


def downgrade() -> None:
    with op.batch_alter_table("touchpoint_mentions") as batch:
        batch.drop_column("emotion")
