"""Store methods for the read side: aggregates computed by the database, never the whole mentions table.

Why: the journey map, the MOT ranking and the report need counts, sums and sums of squares per
touchpoint and brand (from which means, intervals and Welch tests follow exactly), the ids of a
bounded sample, and a few verbatims — a GROUP BY in SQLite or PostgreSQL returns them in a
fraction of the time and memory of reading a million rows into pandas.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, case, delete, exists, func, select, update
from sqlalchemy.orm import Session

from carlzon.storage.engine import as_utc, read_frame
from carlzon.storage.tables import (
    AnalysisRow,
    AnalysisRunRow,
    AnalysisTopicsRow,
    FeedbackRow,
    MentionRow,
    TaskFeedbackRow,
    TaskRow,
)
from carlzon.storage.totals import STAT_COLUMNS, read_totals


class AggregatesMixin:
    """Read-side aggregate methods of Store (see store.py)."""

    engine: Engine

    def analysed_by_brand(self, journey_id: str) -> dict[str, int]:
        """Analysed records per brand, most first (ties by name), from the running totals."""
        totals = read_totals(self.engine, journey_id)
        records = totals[(totals["touchpoint_key"] == "") & (totals["records"] > 0)]
        counts = {str(b): int(n) for b, n in zip(records["brand"], records["records"], strict=True)}
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def mention_stats(self, journey_id: str) -> pd.DataFrame:
        """Per touchpoint and brand: mentions, sum and sum of squares of their sentiment, how many are
        negative / positive (storage.totals' bands), per emotion, and the NPS answers of the records
        behind them (each record names a touchpoint once, so these count records), from the running
        totals. Columns: STAT_COLUMNS."""
        totals = read_totals(self.engine, journey_id)
        totals = totals[(totals["touchpoint_key"] != "") & (totals["mentions"] > 0)]
        frame = totals.rename(columns={"touchpoint_key": "touchpoint_id"}).assign(
            total=totals["total_e4"].astype(float) / 1e4, squares=totals["squares_e8"].astype(float) / 1e8
        )
        return frame[STAT_COLUMNS].reset_index(drop=True)

    def save_topics(
        self, journey_id: str, brand: str, *, run_id: int, version: str, analysed: int, topics: list[dict[str, Any]]
    ) -> None:
        """Keep the emerging topics found for a brand as of analysis run ``run_id`` (at ``version``),
        when it had ``analysed`` records (older ones are dropped)."""
        with Session(self.engine) as session, session.begin():
            mine = (AnalysisTopicsRow.journey_id == journey_id) & (AnalysisTopicsRow.brand == brand)
            session.execute(delete(AnalysisTopicsRow).where(mine))
            session.add(
                AnalysisTopicsRow(
                    journey_id=journey_id,
                    brand=brand,
                    run_id=run_id,
                    version=version,
                    analysed=analysed,
                    topics=topics,
                    created_at=datetime.now(UTC),
                )
            )

    def kept_topics(self, journey_id: str, brand: str) -> tuple[int, str, int, list[dict[str, Any]]] | None:
        """The topics kept for a brand: (run id, version, analysed records then, topics), or None."""
        query = select(AnalysisTopicsRow).where(
            AnalysisTopicsRow.journey_id == journey_id, AnalysisTopicsRow.brand == brand
        )
        with Session(self.engine) as session:
            row = session.scalars(query).first()
            return (row.run_id, row.version, row.analysed, list(row.topics)) if row else None

    def keep_topics_for(self, journey_id: str, brand: str, run_id: int) -> None:
        """Mark a brand's kept topics as still standing after analysis run ``run_id``."""
        with Session(self.engine) as session, session.begin():
            mine = (AnalysisTopicsRow.journey_id == journey_id) & (AnalysisTopicsRow.brand == brand)
            session.execute(update(AnalysisTopicsRow).where(mine).values(run_id=run_id))

    def last_finished_run_id(self, journey_id: str) -> int:
        """The id of the journey's newest finished analysis run (0 when none has finished)."""
        query = select(func.max(AnalysisRunRow.id)).where(
            AnalysisRunRow.journey_id == journey_id, AnalysisRunRow.status == "done"
        )
        with Session(self.engine) as session:
            return int(session.scalar(query) or 0)

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
            frames.append(read_frame(self.engine, query))
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
            frames.append(read_frame(self.engine, query))
        frame = (
            pd.concat(frames, ignore_index=True)
            if frames
            else pd.DataFrame(columns=["feedback_id", "text", "sentiment", "created_at"])
        )
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
        return frame

    def top_points(
        self,
        journey_id: str,
        brand: str,
        *,
        negative: bool,
        threshold: float,
        limit: int,
        touchpoint: str | None = None,
    ) -> pd.DataFrame:
        """The brand's most repeated points among its negative (below ``threshold``) or positive (above)
        mentions (of one ``touchpoint`` if given): touchpoint_id, point, count, average_sentiment and
        the shortest verbatim (first by id)."""
        m, f = MentionRow, FeedbackRow
        side = m.sentiment < threshold if negative else m.sentiment > threshold
        if touchpoint is not None:
            side = side & (m.touchpoint_key == touchpoint)
        average = func.avg(m.sentiment)
        query = (
            select(m.touchpoint_key, m.point, func.count().label("n"), average.label("average"))
            .join(f, f.id == m.feedback_id)
            .where(m.journey_id == journey_id, f.brand == brand, side)
            .group_by(m.touchpoint_key, m.point)
            .order_by(func.count().desc(), average if negative else average.desc(), m.touchpoint_key, m.point)
            .limit(limit)
        )
        groups = read_frame(self.engine, query, ["touchpoint_id", "point", "count", "average_sentiment"])
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
        frame = read_frame(self.engine, query)
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
        return frame

    def _utc_day(self):  # type: ignore[no-untyped-def]
        """A feedback record's UTC day as 'YYYY-MM-DD', in this database's SQL."""
        if self.engine.dialect.name == "sqlite":
            return func.substr(FeedbackRow.created_at, 1, 10)  # stored as 'YYYY-MM-DD HH:MM:SS' in UTC
        return func.to_char(func.timezone("UTC", FeedbackRow.created_at), "YYYY-MM-DD")

    def daily_scores(self, brand: str | None = None) -> pd.DataFrame:
        """Survey answers per UTC day (of one brand if given): day, nps_n, promoters, detractors,
        csat_n, csat_top2 — counted by the database."""
        f = FeedbackRow
        day = self._utc_day()
        query = (
            select(
                day,
                func.count(f.nps),
                func.sum(case((f.nps >= 9, 1), else_=0)),
                func.sum(case((f.nps <= 6, 1), else_=0)),
                func.count(f.csat),
                func.sum(case((f.csat >= 4, 1), else_=0)),
            )
            .where(f.created_at.is_not(None), (f.nps.is_not(None)) | (f.csat.is_not(None)))
            .group_by(day)
            .order_by(day)
        )
        if brand is not None:
            query = query.where(f.brand == brand)
        frame = read_frame(self.engine, query, ["day", "nps_n", "promoters", "detractors", "csat_n", "csat_top2"])
        frame["day"] = pd.to_datetime(frame["day"])
        return frame

    def daily_mentions(self, journey_id: str, brand: str) -> pd.DataFrame:
        """The brand's mentions per UTC day and touchpoint: day, touchpoint_id, mentions, total sentiment."""
        day = self._utc_day()
        query = (
            select(day, MentionRow.touchpoint_key, func.count(), func.sum(MentionRow.sentiment))
            .join(FeedbackRow, FeedbackRow.id == MentionRow.feedback_id)
            .where(MentionRow.journey_id == journey_id, FeedbackRow.brand == brand, FeedbackRow.created_at.is_not(None))
            .group_by(day, MentionRow.touchpoint_key)
        )
        frame = read_frame(self.engine, query, ["day", "touchpoint_id", "mentions", "total"])
        frame["day"] = pd.to_datetime(frame["day"])
        return frame


def _like(words: str) -> str:
    """A LIKE pattern that finds ``words`` literally (its own % and _ are not wildcards)."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _behind_tasks_of(department: str):  # type: ignore[no-untyped-def]
    """The ids of the feedback linked to the department's tasks, as a subquery."""
    return (
        select(TaskFeedbackRow.feedback_id)
        .join(TaskRow, TaskRow.id == TaskFeedbackRow.task_id)
        .where(TaskRow.department == department)
    )


class SearchMixin:
    """The feedback explorer's query (see ingest/search.py)."""

    engine: Engine

    def search_feedback(
        self,
        *,
        words: str | None,
        channel: str | None,
        brand: str | None,
        location: str | None,
        journey: str | None,
        touchpoint: str | None,
        label: str | None,
        since: datetime | None,
        until: datetime | None,
        department: str | None,
        before: int | None,
        limit: int,
    ) -> list[dict[str, Any]]:
        """Matching feedback rows, newest (highest id) first, with the journey's sentiment."""
        f = FeedbackRow
        analysed = journey is not None
        columns = [f.id, f.created_at, f.channel, f.brand, f.location, f.text, f.nps, f.csat]
        if analysed:
            query = select(*columns, AnalysisRow.sentiment, AnalysisRow.label).outerjoin(
                AnalysisRow, (AnalysisRow.feedback_id == f.id) & (AnalysisRow.journey_id == journey)
            )
        else:
            query = select(*columns)
        if before is not None:
            query = query.where(f.id < before)
        if words:
            query = query.where(f.text.ilike(_like(words), escape="\\"))
        for column, value in ((f.channel, channel), (f.brand, brand), (f.location, location)):
            if value:
                query = query.where(column == value)
        if since is not None:
            query = query.where(f.created_at >= since)
        if until is not None:
            query = query.where(f.created_at < until)
        if touchpoint:
            query = query.where(
                f.id.in_(
                    select(MentionRow.feedback_id).where(
                        MentionRow.journey_id == journey, MentionRow.touchpoint_key == touchpoint
                    )
                )
            )
        if label:
            query = query.where(AnalysisRow.label == label)
        if department is not None:  # a member: only the feedback behind their department's tasks
            query = query.where(f.id.in_(_behind_tasks_of(department)))
        with Session(self.engine) as session:
            rows = session.execute(query.order_by(f.id.desc()).limit(limit)).all()
        out = []
        for row in rows:
            item = dict(row._mapping)
            item["created_at"] = as_utc(item["created_at"])
            item.setdefault("sentiment", None)
            item.setdefault("label", None)
            out.append(item)
        return out

    def feedback_behind_tasks_of(self, feedback_id: int, department: str) -> bool:
        """Whether the record is linked to one of the department's tasks (what a member may see)."""
        with Session(self.engine) as session:
            query = select(
                exists().where(FeedbackRow.id == feedback_id, FeedbackRow.id.in_(_behind_tasks_of(department)))
            )
            return bool(session.scalar(query))

    def feedback_detail(self, feedback_id: int, journey_id: str | None) -> dict[str, Any] | None:
        """One stored record (redacted as stored) with its analysis and mentions under the journey."""
        f = FeedbackRow
        with Session(self.engine) as session:
            row = session.get(f, feedback_id)
            if row is None:
                return None
            record = {
                "id": row.id,
                "source": row.source,
                "external_id": row.external_id,
                "channel": row.channel,
                "brand": row.brand,
                "customer_id": row.customer_id,
                "store": row.location,
                "created_at": as_utc(row.created_at),
                "text": row.text,
                "nps": row.nps,
                "csat": row.csat,
                "ces": row.ces,
                "rating": row.rating,
                "reach": row.reach,
            }
            if journey_id is None:
                return record
            analysis = session.scalar(
                select(AnalysisRow).where(AnalysisRow.feedback_id == feedback_id, AnalysisRow.journey_id == journey_id)
            )
            mentions = session.scalars(
                select(MentionRow)
                .where(MentionRow.feedback_id == feedback_id, MentionRow.journey_id == journey_id)
                .order_by(MentionRow.id)
            )
            record["analysis"] = (
                {
                    "language": analysis.language,
                    "sentiment": analysis.sentiment,
                    "label": analysis.label,
                    "emotion": analysis.emotion,
                    "mentions": [
                        {
                            "touchpoint_id": m.touchpoint_key,
                            "sentiment": m.sentiment,
                            "phrase": m.phrase,
                            "emotion": m.emotion,
                            "point": m.point,
                        }
                        for m in mentions
                    ],
                }
                if analysis is not None
                else None
            )
            return record
