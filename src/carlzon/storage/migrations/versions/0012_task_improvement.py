"""A resolved task may record the improvement it made, which the review (复盘) then judges.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("improvement_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_tasks_improvement", "improvements", ["improvement_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.drop_constraint("fk_tasks_improvement", type_="foreignkey")
        batch.drop_column("improvement_id")
