"""A record without text (a score alone) has no sentiment: NULL, not a neutral 0.0.

Before this revision such records were stored with sentiment 0.0, label and emotion 'neutral',
which pulled every average towards zero and every negative share down. The columns become
nullable and the stored rows are corrected in place; the analyzers' output for texts is unchanged,
so no re-analysis is needed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = (("sentiment", sa.Float()), ("label", sa.String(16)), ("emotion", sa.String(16)))


def upgrade() -> None:
    with op.batch_alter_table("analysis_results") as batch:
        for name, kind in COLUMNS:
            batch.alter_column(name, existing_type=kind, nullable=True)
    # ``normalised`` is the text trimmed (analysis.language.normalise): empty exactly when the text is.
    op.execute("UPDATE analysis_results SET sentiment = NULL, label = NULL, emotion = NULL WHERE normalised = ''")


def downgrade() -> None:
    op.execute(
        "UPDATE analysis_results SET sentiment = 0.0, label = 'neutral', emotion = 'neutral' WHERE sentiment IS NULL"
    )
    with op.batch_alter_table("analysis_results") as batch:
        for name, kind in COLUMNS:
            batch.alter_column(name, existing_type=kind, nullable=False)
