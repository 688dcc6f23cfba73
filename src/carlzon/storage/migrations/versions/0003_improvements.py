"""Improvements recorded for before/after review.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "improvements",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("journey_id", sa.String(64), sa.ForeignKey("journeys.id", ondelete="CASCADE"), nullable=False),
        sa.Column("touchpoint_key", sa.String(64), nullable=False),
        sa.Column("brand", sa.String(200), nullable=False),
        sa.Column("started_on", sa.DateTime(timezone=True), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("cost", sa.Float(), nullable=True),
        sa.Column("locations", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("improvements")
