"""Survey responses: partial answers saved as a respondent goes, complete ones sent, and the
feedback record each became (the public page /s/<survey>).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("survey_id", sa.String(100), sa.ForeignKey("surveys.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("draft_key", sa.String(64), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=True),
        sa.Column("location", sa.String(200), nullable=True),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("started_at", _AT, nullable=False),
        sa.Column("updated_at", _AT, nullable=False),
        sa.Column("completed_at", _AT, nullable=True),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_survey_responses_survey", "survey_responses", ["survey_id", "status", "completed_at"])
    op.create_index("ix_survey_responses_draft", "survey_responses", ["draft_key"], unique=True)


def downgrade() -> None:
    op.drop_table("survey_responses")
