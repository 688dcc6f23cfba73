"""Each analysed record's text severity (analysis.severity: 3 critical, 2 high, 0 none), so rules
over a million records compare a small integer instead of reading every text.

Records analysed before this revision have NULL; the closed loop assesses them once when it
first needs them (storage.actions), and again when the terms' version changes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("analysis_results") as batch:
        batch.add_column(sa.Column("text_severity", sa.SmallInteger(), nullable=True))
    # The terms' version the ranks are written with (analysis.severity.TERMS_VERSION, then "1").
    meta = sa.table("workspace_meta", sa.column("name", sa.String), sa.column("value", sa.Text))
    op.bulk_insert(meta, [{"name": "text_severity_version", "value": "1"}])


def downgrade() -> None:
    op.execute("DELETE FROM workspace_meta WHERE name = 'text_severity_version'")
    with op.batch_alter_table("analysis_results") as batch:
        batch.drop_column("text_severity")
