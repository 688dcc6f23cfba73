"""Incremental analysis: recorded analysis runs, the fitted state they share, results tagged with
the analysis version and run that made them, and each mention's pain/delight point.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analysis_fits",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("journey_id", sa.String(64), sa.ForeignKey("journeys.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        sa.Column("sample_ids", sa.JSON(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_analysis_fits_journey_version", "analysis_fits", ["journey_id", "version"])
    op.create_table(
        "analysis_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("journey_id", sa.String(64), sa.ForeignKey("journeys.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("redo_all", sa.Boolean(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("fit_id", sa.Integer(), sa.ForeignKey("analysis_fits.id", ondelete="SET NULL"), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("to_analyse", sa.Integer(), nullable=False),
        sa.Column("analysed", sa.Integer(), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("untagged", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_analysis_runs_journey_status", "analysis_runs", ["journey_id", "status"])
    with op.batch_alter_table("analysis_results") as batch:
        batch.add_column(sa.Column("version", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("run_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("touchpoint_mentions") as batch:
        batch.add_column(sa.Column("point", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_mentions_journey_feedback", "touchpoint_mentions", ["journey_id", "feedback_id"])


def downgrade() -> None:
    op.drop_index("ix_mentions_journey_feedback", "touchpoint_mentions")
    with op.batch_alter_table("touchpoint_mentions") as batch:
        batch.drop_column("point")
    with op.batch_alter_table("analysis_results") as batch:
        batch.drop_column("run_id")
        batch.drop_column("version")
    op.drop_index("ix_analysis_runs_journey_status", "analysis_runs")
    op.drop_table("analysis_runs")
    op.drop_index("ix_analysis_fits_journey_version", "analysis_fits")
    op.drop_table("analysis_fits")
