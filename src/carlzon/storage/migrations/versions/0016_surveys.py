"""Surveys: published survey definitions (carlzon surveys publish / list / close).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "surveys",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("published_at", _AT, nullable=False),
        sa.Column("published_by", sa.String(200), nullable=False),
        sa.Column("closed_at", _AT, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("surveys")
