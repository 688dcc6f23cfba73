"""Conversations: service calls and chats with their EOAC / ABC reading (carlzon qa import).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("external_id", sa.String(200), nullable=False),
        sa.Column("agent", sa.String(200), nullable=True),
        sa.Column("team", sa.String(200), nullable=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("location", sa.String(200), nullable=True),
        sa.Column("started_at", _AT, nullable=True),
        sa.Column("turns", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("behaviours", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("solved", sa.Boolean(), nullable=False),
        sa.Column("communication", sa.JSON(), nullable=False),
        sa.Column("appearance", sa.String(200), nullable=True),
        sa.Column("imported_at", _AT, nullable=False),
        sa.UniqueConstraint("source", "external_id", name="uq_conversations_source_external"),
    )
    op.create_index("ix_conversations_started", "conversations", ["started_at"])
    op.create_index("ix_conversations_agent", "conversations", ["agent"])
    op.create_index("ix_conversations_team", "conversations", ["team"])


def downgrade() -> None:
    op.drop_table("conversations")
