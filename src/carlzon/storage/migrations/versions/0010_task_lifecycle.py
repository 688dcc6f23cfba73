"""Tasks that rules make and people work: assignee, the feedback behind a task, SLA due times,
complaint recovery, and an audit trail of every change; the last record each rule has seen.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

NEW_TASK_COLUMNS = (
    sa.Column("rule_id", sa.String(64), nullable=True),
    sa.Column("assignee", sa.String(200), nullable=True),
    sa.Column("customer_id", sa.String(200), nullable=True),
    sa.Column("location", sa.String(200), nullable=True),
    sa.Column("severity", sa.String(16), nullable=True),
    sa.Column("dedupe_key", sa.String(500), nullable=True),
    sa.Column("first_response_due", sa.DateTime(timezone=True), nullable=True),
    sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("recovery", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("contacted_back", sa.Boolean(), nullable=True),
    sa.Column("recovery_outcome", sa.Text(), nullable=True),
    sa.Column("tags", sa.JSON(), nullable=True),
)


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        for column in NEW_TASK_COLUMNS:
            batch.add_column(column)
        batch.create_index("ix_tasks_rule_dedupe", ["rule_id", "dedupe_key", "status"])
    op.execute("UPDATE tasks SET status = 'resolved' WHERE status = 'done'")
    op.create_table(
        "task_feedback",
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("feedback_id", sa.Integer(), sa.ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "task_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
    )
    op.create_index("ix_task_events_task", "task_events", ["task_id", "id"])
    op.create_table(
        "rule_cursors",
        sa.Column("journey_id", sa.String(64), sa.ForeignKey("journeys.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("rule_id", sa.String(64), primary_key=True),
        sa.Column("last_feedback_id", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rule_cursors")
    op.drop_index("ix_task_events_task", "task_events")
    op.drop_table("task_events")
    op.drop_table("task_feedback")
    op.execute("UPDATE tasks SET status = 'done' WHERE status IN ('resolved', 'verified')")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_index("ix_tasks_rule_dedupe")
        for column in reversed(NEW_TASK_COLUMNS):
            batch.drop_column(column.name)
