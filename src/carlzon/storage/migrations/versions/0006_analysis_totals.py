"""Running totals of each journey's analysis per touchpoint and brand, and the emerging topics each
analysis run found: what the journey map, the ranking and the report read instead of every mention.

Sentiment sums are kept exactly, as integers of 1/10,000 (mentions are stored rounded to four
decimals), so adding a chunk and taking away the records it replaces never drifts.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COUNTS = ("negative", "positive", "poor", "neutral", "happy", "surprised", "nps_n", "promoters", "detractors")


def upgrade() -> None:
    op.create_table(
        "analysis_totals",
        sa.Column("journey_id", sa.String(64), sa.ForeignKey("journeys.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("touchpoint_key", sa.String(64), primary_key=True),
        sa.Column("brand", sa.String(200), primary_key=True),
        sa.Column("records", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("mentions", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("total_e4", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("squares_e8", sa.BigInteger(), nullable=False, server_default="0"),
        *(sa.Column(name, sa.BigInteger(), nullable=False, server_default="0") for name in COUNTS),
    )
    op.create_table(
        "analysis_topics",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("journey_id", sa.String(64), sa.ForeignKey("journeys.id", ondelete="CASCADE"), nullable=False),
        sa.Column("brand", sa.String(200), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("analysed", sa.BigInteger(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_analysis_topics_journey_brand", "analysis_topics", ["journey_id", "brand", "run_id"])
    # how many records a journey has analysed at a version (and by a run): an index count, not a join
    op.create_index("ix_analysis_journey_version_run", "analysis_results", ["journey_id", "version", "run_id"])
    e4 = "CAST(ROUND(m.sentiment * 10000) AS BIGINT)"
    op.execute(
        "INSERT INTO analysis_totals (journey_id, touchpoint_key, brand, mentions, total_e4, squares_e8, "
        f"{', '.join(COUNTS)}) "
        f"SELECT m.journey_id, m.touchpoint_key, f.brand, COUNT(*), SUM({e4}), SUM({e4} * {e4}), "
        "SUM(CASE WHEN m.sentiment < -0.2 THEN 1 ELSE 0 END), SUM(CASE WHEN m.sentiment > 0.2 THEN 1 ELSE 0 END), "
        + ", ".join(f"SUM(CASE WHEN m.emotion = '{e}' THEN 1 ELSE 0 END)" for e in COUNTS[2:6])
        + ", COUNT(f.nps), SUM(CASE WHEN f.nps >= 9 THEN 1 ELSE 0 END), SUM(CASE WHEN f.nps <= 6 THEN 1 ELSE 0 END) "
        "FROM touchpoint_mentions m JOIN feedback f ON f.id = m.feedback_id "
        "GROUP BY m.journey_id, m.touchpoint_key, f.brand"
    )
    op.execute(
        "INSERT INTO analysis_totals (journey_id, touchpoint_key, brand, records) "
        "SELECT a.journey_id, '', f.brand, COUNT(*) FROM analysis_results a JOIN feedback f ON f.id = a.feedback_id "
        "GROUP BY a.journey_id, f.brand"
    )


def downgrade() -> None:
    op.drop_index("ix_analysis_journey_version_run", "analysis_results")
    op.drop_index("ix_analysis_topics_journey_brand", "analysis_topics")
    op.drop_table("analysis_topics")
    op.drop_table("analysis_totals")
