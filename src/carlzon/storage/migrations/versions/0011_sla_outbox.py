"""SLA targets in working time on each task, the escalation steps taken (once per task and
step), and the transactional outbox: notices, every delivery attempt, and endpoint state
(disabled after a 410, paused after a 429).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

NEW_TASK_COLUMNS = (
    sa.Column("first_response_target_s", sa.Float(), nullable=True),
    sa.Column("resolution_target_s", sa.Float(), nullable=True),
)


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        for column in NEW_TASK_COLUMNS:
            batch.add_column(column)
    op.create_table(
        "task_escalations",
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("step", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("escalated_to", sa.String(200), nullable=False),
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("msg_id", sa.String(64), nullable=False, unique=True),
        sa.Column("channel", sa.String(100), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("tasks.id", ondelete="SET NULL"), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_index("ix_notices_due", "notices", ["status", "next_attempt_at"])
    op.create_table(
        "delivery_attempts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("notice_id", sa.Integer(), sa.ForeignKey("notices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("channel", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("digest", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_delivery_attempts_notice", "delivery_attempts", ["notice_id", "id"])
    op.create_index("ix_delivery_attempts_channel", "delivery_attempts", ["channel", "at"])
    op.create_table(
        "endpoint_state",
        sa.Column("channel", sa.String(100), primary_key=True),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled_reason", sa.Text(), nullable=True),
        sa.Column("paused_until", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("endpoint_state")
    op.drop_index("ix_delivery_attempts_channel", "delivery_attempts")
    op.drop_index("ix_delivery_attempts_notice", "delivery_attempts")
    op.drop_table("delivery_attempts")
    op.drop_index("ix_notices_due", "notices")
    op.drop_table("notices")
    op.drop_table("task_escalations")
    with op.batch_alter_table("tasks") as batch:
        for column in reversed(NEW_TASK_COLUMNS):
            batch.drop_column(column.name)
