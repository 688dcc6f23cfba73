"""Surveys: published survey definitions (carlzon surveys publish / list / close) and their
single-use personal links (carlzon surveys links).

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
    op.create_table(
        "survey_links",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("survey_id", sa.String(100), sa.ForeignKey("surveys.id"), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False),
        sa.Column("location", sa.String(200), nullable=True),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("used_at", _AT, nullable=True),
    )
    op.create_index("ix_survey_links_contact", "survey_links", ["contact", "created_at"])


def downgrade() -> None:
    op.drop_table("survey_links")
    op.drop_table("surveys")
