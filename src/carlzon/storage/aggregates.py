"""Store methods for the read side: aggregates computed by the database, never the whole mentions table.

Why: the journey map, the MOT ranking and the report need counts, sums and sums of squares per
touchpoint and brand (from which means, intervals and Welch tests follow exactly), the ids of a
bounded sample, and a few verbatims — a GROUP BY in SQLite or PostgreSQL returns them in a
fraction of the time and memory of reading a million rows into pandas.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, case, exists, func, select
from sqlalchemy.orm import Session

from carlzon.storage.tables import AnalysisRow, FeedbackRow, MentionRow

EMOTIONS = ("poor", "neutral", "happy", "surprised")
STAT_COLUMNS = [
    "touchpoint_id",
    "brand",
    "mentions",
    "total",
    "squares",
    "negative",
    "positive",
    *EMOTIONS,
    "nps_n",
    "promoters",
    "detractors",
]


def _count_if(condition) -> object:  # type: ignore[no-untyped-def]
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


class AggregatesMixin:
    """Read-side aggregate methods of Store (see store.py)."""

    engine: Engine

    def _frame_of(self, query, columns: Sequence[str] | None = None) -> pd.DataFrame:  # type: ignore[no-untyped-def]
        with self.engine.connect() as connection:
            result = connection.execute(query)
            return pd.DataFrame(result.fetchall(), columns=list(columns or result.keys()))

    def analysed_by_brand(self, journey_id: str) -> dict[str, int]:
        """Analysed records per brand, most first (ties by name)."""
        query = (
            select(FeedbackRow.brand, func.count())
            .join(AnalysisRow, AnalysisRow.feedback_id == FeedbackRow.id)
            .where(AnalysisRow.journey_id == journey_id)
            .group_by(FeedbackRow.brand)
        )
        with Session(self.engine) as session:
            counts = {str(brand): int(n) for brand, n in session.execute(query)}
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def mention_stats(self, journey_id: str, *, negative_below: float, positive_above: float) -> pd.DataFrame:
        """Per touchpoint and brand: mentions, sum and sum of squares of their sentiment, how many are
        negative / positive, per emotion, and the NPS answers of the records behind them (each record
        names a touchpoint once, so these count records). Columns: STAT_COLUMNS."""
        m, f = MentionRow, FeedbackRow
        query = (
            select(
                m.touchpoint_key,
                f.brand,
                func.count(),
                func.sum(m.sentiment),
                func.sum(m.sentiment * m.sentiment),
                _count_if(m.sentiment < negative_below),
                _count_if(m.sentiment > positive_above),
                *(_count_if(m.emotion == emotion) for emotion in EMOTIONS),
                func.count(f.nps),
                _count_if(f.nps >= 9),
                _count_if(f.nps <= 6),
            )
            .join(f, f.id == m.feedback_id)
            .where(m.journey_id == journey_id)
            .group_by(m.touchpoint_key, f.brand)
        )
        frame = self._frame_of(query, STAT_COLUMNS)
        for column in STAT_COLUMNS[2:]:
            frame[column] = pd.to_numeric(frame[column])
        return frame

    def answered_ids(self, journey_id: str, brand: str) -> list[int]:
        """Ids of the brand's records with an NPS answer that name at least one touchpoint, sorted."""
        named = exists().where(MentionRow.journey_id == journey_id, MentionRow.feedback_id == FeedbackRow.id)
        query = (
            select(FeedbackRow.id)
            .where(FeedbackRow.brand == brand, FeedbackRow.nps.is_not(None), named)
            .order_by(FeedbackRow.id)
        )
        with Session(self.engine) as session:
            return [int(i) for i in session.scalars(query)]

    def driver_rows(self, journey_id: str, ids: Sequence[int]) -> pd.DataFrame:
        """The mentions (feedback_id, touchpoint_id, sentiment) and NPS answer of the given records."""
        frames = []
        for start in range(0, len(ids), 5000):
            query = (
                select(
                    MentionRow.feedback_id,
                    MentionRow.touchpoint_key.label("touchpoint_id"),
                    MentionRow.sentiment,
                    FeedbackRow.nps,
                )
                .join(FeedbackRow, FeedbackRow.id == MentionRow.feedback_id)
                .where(MentionRow.journey_id == journey_id, MentionRow.feedback_id.in_(list(ids[start : start + 5000])))
            )
            frames.append(self._frame_of(query))
        if not frames:
            return pd.DataFrame(columns=["feedback_id", "touchpoint_id", "sentiment", "nps"])
        return pd.concat(frames, ignore_index=True)

    def untagged_ids(self, journey_id: str, brand: str, *, below: float) -> list[int]:
        """Ids of the brand's analysed records with sentiment below ``below`` that name no touchpoint, sorted."""
        named = exists().where(MentionRow.journey_id == journey_id, MentionRow.feedback_id == AnalysisRow.feedback_id)
        query = (
            select(AnalysisRow.feedback_id)
            .join(FeedbackRow, FeedbackRow.id == AnalysisRow.feedback_id)
            .where(
                AnalysisRow.journey_id == journey_id, FeedbackRow.brand == brand, AnalysisRow.sentiment < below, ~named
            )
            .order_by(AnalysisRow.feedback_id)
        )
        with Session(self.engine) as session:
            return [int(i) for i in session.scalars(query)]

    def analysed_texts(self, journey_id: str, ids: Sequence[int]) -> pd.DataFrame:
        """feedback_id, text, sentiment and created_at of the given analysed records, in id order."""
        frames = []
        for start in range(0, len(ids), 5000):
            query = (
                select(
                    FeedbackRow.id.label("feedback_id"), FeedbackRow.text, AnalysisRow.sentiment, FeedbackRow.created_at
                )
                .join(AnalysisRow, AnalysisRow.feedback_id == FeedbackRow.id)
                .where(AnalysisRow.journey_id == journey_id, FeedbackRow.id.in_(list(ids[start : start + 5000])))
                .order_by(FeedbackRow.id)
            )
            frames.append(self._frame_of(query))
        frame = (
            pd.concat(frames, ignore_index=True)
            if frames
            else pd.DataFrame(columns=["feedback_id", "text", "sentiment", "created_at"])
        )
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
        return frame

    def top_points(self, journey_id: str, brand: str, *, negative: bool, threshold: float, limit: int) -> pd.DataFrame:
        """The brand's most repeated points among its negative (below ``threshold``) or positive (above)
        mentions: touchpoint_id, point, count, average_sentiment and the shortest verbatim (first by id)."""
        m, f = MentionRow, FeedbackRow
        side = m.sentiment < threshold if negative else m.sentiment > threshold
        average = func.avg(m.sentiment)
        query = (
            select(m.touchpoint_key, m.point, func.count().label("n"), average.label("average"))
            .join(f, f.id == m.feedback_id)
            .where(m.journey_id == journey_id, f.brand == brand, side)
            .group_by(m.touchpoint_key, m.point)
            .order_by(func.count().desc(), average if negative else average.desc(), m.touchpoint_key, m.point)
            .limit(limit)
        )
        groups = self._frame_of(query, ["touchpoint_id", "point", "count", "average_sentiment"])
        examples = []
        with Session(self.engine) as session:
            for touchpoint, point in zip(groups["touchpoint_id"], groups["point"], strict=True):
                example = (
                    select(m.phrase)
                    .join(f, f.id == m.feedback_id)
                    .where(m.journey_id == journey_id, f.brand == brand, side, m.touchpoint_key == touchpoint)
                    .where(m.point == point)
                    .order_by(func.length(m.phrase), m.id)
                    .limit(1)
                )
                examples.append(session.scalar(example))
        return groups.assign(example=examples)

    def review_frame(self, journey_id: str, brand: str) -> pd.DataFrame:
        """The brand's mentions with what a before/after review reads of them (feedback_id,
        touchpoint_id, sentiment, brand, location, nps, created_at): no texts."""
        query = (
            select(
                MentionRow.feedback_id,
                MentionRow.touchpoint_key.label("touchpoint_id"),
                MentionRow.sentiment,
                FeedbackRow.brand,
                FeedbackRow.location,
                FeedbackRow.nps,
                FeedbackRow.created_at,
            )
            .join(FeedbackRow, FeedbackRow.id == MentionRow.feedback_id)
            .where(MentionRow.journey_id == journey_id, FeedbackRow.brand == brand)
            .order_by(MentionRow.id)
        )
        frame = self._frame_of(query)
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
        return frame

    def daily_mentions(self, journey_id: str, brand: str) -> pd.DataFrame:
        """The brand's mentions per UTC day and touchpoint: day, touchpoint_id, mentions, total sentiment."""
        if self.engine.dialect.name == "sqlite":
            day = func.substr(FeedbackRow.created_at, 1, 10)  # stored as 'YYYY-MM-DD HH:MM:SS' in UTC
        else:
            day = func.to_char(func.timezone("UTC", FeedbackRow.created_at), "YYYY-MM-DD")
        query = (
            select(day, MentionRow.touchpoint_key, func.count(), func.sum(MentionRow.sentiment))
            .join(FeedbackRow, FeedbackRow.id == MentionRow.feedback_id)
            .where(MentionRow.journey_id == journey_id, FeedbackRow.brand == brand, FeedbackRow.created_at.is_not(None))
            .group_by(day, MentionRow.touchpoint_key)
        )
        frame = self._frame_of(query, ["day", "touchpoint_id", "mentions", "total"])
        frame["day"] = pd.to_datetime(frame["day"])
        return frame
