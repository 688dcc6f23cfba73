"""Store methods the closed loop reads: the records a rule matches, filtered by the database,
severity counts, texts' severity kept current, and customers' earlier complaints.

Why SQL: a rule over a million analysed records must answer in seconds. The database filters by
sentiment, channel, brand, store, scores, touchpoints (EXISTS on the mentions), keywords (LIKE on
the normalised text) and severity (from the stored ``text_severity`` and the sentiment), and only
the few matching rows come back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import Engine, and_, bindparam, case, exists, false, func, or_, select, update
from sqlalchemy.orm import Session

from carlzon.actions.models import RecordFilter
from carlzon.storage.engine import read_frame, read_frame_unprocessed
from carlzon.storage.tables import AnalysisRow, FeedbackRow, MentionRow, WorkspaceMetaRow
from carlzon.storage.totals import NEGATIVE_BELOW

STRONG_AT_MOST = -0.6  # actions.severity.STRONG_AT_MOST
SEVERITY_VERSION_KEY = "text_severity_version"
MATCH_COLUMNS = ["feedback_id", "created_at", "customer_id", "location", "severity"]


def severity_rank(sensitive: Sequence[str]):  # type: ignore[no-untyped-def]
    """The SQL expression of actions.severity's levels: 3 critical, 2 high, 1 medium, 0 low."""
    text = func.coalesce(AnalysisRow.text_severity, 0)
    sentiment = AnalysisRow.sentiment
    named_sensitive = (
        exists().where(
            MentionRow.feedback_id == AnalysisRow.feedback_id,
            MentionRow.journey_id == AnalysisRow.journey_id,
            MentionRow.touchpoint_key.in_(list(sensitive)),
        )
        if sensitive
        else false()
    )
    return case(
        (text >= 3, 3),
        (or_(text >= 2, sentiment <= STRONG_AT_MOST, and_(sentiment < NEGATIVE_BELOW, named_sensitive)), 2),
        (sentiment < NEGATIVE_BELOW, 1),
        else_=0,
    )


def _window(journey_id: str, since: datetime | None) -> list:  # type: ignore[type-arg]
    """The conditions of a journey's analysed records created at or after ``since``."""
    conditions = [AnalysisRow.journey_id == journey_id, AnalysisRow.feedback_id == FeedbackRow.id]
    if since is not None:
        conditions.append(FeedbackRow.created_at >= since)
    return conditions


def _like_any(column, words: Sequence[str]):  # type: ignore[no-untyped-def]
    escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]
    return or_(*(column.like(f"%{w}%", escape="\\") for w in escaped))


class ActionsMixin:
    """Read methods of Store for rules, tasks and alerts (see store.py)."""

    engine: Engine

    # -- severity kept current ----------------------------------------------------------------

    def refresh_text_severity(
        self, version: str, assess: Callable[[list[str]], np.ndarray], *, size: int = 50_000
    ) -> int:
        """Give every analysed record a ``text_severity`` of ``version`` (``assess``: normalised
        texts -> ranks): the records analysed before it existed, and all of them when the terms'
        version changed. Returns how many were assessed (0 once current)."""
        with Session(self.engine) as session, session.begin():
            stored = session.get(WorkspaceMetaRow, SEVERITY_VERSION_KEY)
            if stored is None or stored.value != version:
                session.execute(update(AnalysisRow).values(text_severity=None))
                session.merge(WorkspaceMetaRow(name=SEVERITY_VERSION_KEY, value=version))
        done, after = 0, 0
        while True:
            query = (
                select(AnalysisRow.id, AnalysisRow.normalised)
                .where(AnalysisRow.text_severity.is_(None), AnalysisRow.id > after)
                .order_by(AnalysisRow.id)
                .limit(size)
            )
            chunk = read_frame_unprocessed(self.engine, query, ["id", "normalised"])
            if chunk.empty:
                return done
            after = int(chunk["id"].iloc[-1])
            ranks = assess(chunk["normalised"].fillna("").tolist())
            with Session(self.engine) as session, session.begin():
                session.connection().execute(
                    update(AnalysisRow.__table__)
                    .where(AnalysisRow.__table__.c.id == bindparam("row_id"))
                    .values(text_severity=bindparam("rank")),
                    [{"row_id": int(i), "rank": int(r)} for i, r in zip(chunk["id"], ranks, strict=True)],
                )
            done += len(chunk)

    # -- what rules read -----------------------------------------------------------------------

    def severity_counts(self, journey_id: str, since: datetime | None, sensitive: Sequence[str]) -> dict[int, int]:
        """Analysed records in the window per severity rank."""
        rank = severity_rank(sensitive).label("rank")
        query = (
            select(rank, func.count())
            .select_from(FeedbackRow)
            .join(AnalysisRow, AnalysisRow.feedback_id == FeedbackRow.id)
            .where(*_window(journey_id, since))
            .group_by(rank)
        )
        with self.engine.connect() as connection:
            return {int(r): int(n) for r, n in connection.execute(query)}

    def rule_matches(
        self,
        journey_id: str,
        since: datetime | None,
        conditions: RecordFilter,
        *,
        with_text: bool = False,
        with_meta: bool = False,
        after_id: int = 0,
    ) -> pd.DataFrame:
        """The window's analysed records (with ids above ``after_id``) that meet ``conditions``, in
        id order: MATCH_COLUMNS (and text and normalised with ``with_text``, meta with ``with_meta``)."""
        c = conditions
        rank = severity_rank(c.sensitive)
        columns = [
            FeedbackRow.id.label("feedback_id"),
            FeedbackRow.created_at,
            FeedbackRow.customer_id,
            FeedbackRow.location,
            rank.label("severity"),
        ]
        if with_text:
            columns += [FeedbackRow.text, AnalysisRow.normalised]
        if with_meta:
            columns.append(FeedbackRow.meta)
        where = _window(journey_id, since)
        if after_id:
            where.append(FeedbackRow.id > after_id)
        if c.touchpoints:
            where.append(
                exists().where(
                    MentionRow.feedback_id == FeedbackRow.id,
                    MentionRow.journey_id == journey_id,
                    MentionRow.touchpoint_key.in_(sorted(c.touchpoints)),
                )
            )
        if c.sentiment_at_most is not None:
            where.append(AnalysisRow.sentiment <= c.sentiment_at_most)
        for column, values in (
            (AnalysisRow.emotion, c.emotions),
            (FeedbackRow.channel, c.channels),
            (FeedbackRow.brand, c.brands),
            (FeedbackRow.location, c.stores),
        ):
            if values:
                where.append(column.in_(list(values)))
        for column, limit in ((FeedbackRow.nps, c.nps_at_most), (FeedbackRow.csat, c.csat_at_most)):
            if limit is not None:
                where.append(column <= limit)
        if c.reach_above is not None:
            where.append(FeedbackRow.reach > c.reach_above)
        if c.min_severity is not None and c.min_severity > 0:
            where.append(rank >= c.min_severity)
        if c.keywords:
            where.append(_like_any(AnalysisRow.normalised, c.keywords))
        query = (
            select(*columns)
            .select_from(FeedbackRow)
            .join(AnalysisRow, AnalysisRow.feedback_id == FeedbackRow.id)
            .where(*where)
            .order_by(FeedbackRow.id)
        )
        frame = (
            read_frame(self.engine, query)
            if with_meta
            else read_frame_unprocessed(self.engine, query, [col.key for col in columns])
        )
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
        return frame

    def last_analysed_id(self, journey_id: str) -> int:
        """The highest feedback id analysed under the journey (0: none)."""
        query = select(func.max(AnalysisRow.feedback_id)).where(AnalysisRow.journey_id == journey_id)
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar() or 0)

    def touchpoints_of(self, journey_id: str, ids: Sequence[int]) -> dict[int, list[str]]:
        """The touchpoint ids each of the given records mentions, in the order they were found."""
        named: dict[int, list[str]] = {}
        for start in range(0, len(ids), 5000):
            query = (
                select(MentionRow.feedback_id, MentionRow.touchpoint_key)
                .where(MentionRow.journey_id == journey_id, MentionRow.feedback_id.in_(list(ids[start : start + 5000])))
                .order_by(MentionRow.id)
            )
            with self.engine.connect() as connection:
                for feedback_id, touchpoint in connection.execute(query).cursor.fetchall():
                    named.setdefault(int(feedback_id), []).append(touchpoint)
        return named

    def negative_history(self, journey_id: str, customer_ids: list[str]) -> pd.DataFrame:
        """(customer_id, created_at) of every negative analysed record of these customers."""
        frames = []
        for start in range(0, len(customer_ids), 1000):
            query = (
                select(FeedbackRow.customer_id, FeedbackRow.created_at)
                .join(AnalysisRow, AnalysisRow.feedback_id == FeedbackRow.id)
                .where(
                    AnalysisRow.journey_id == journey_id,
                    AnalysisRow.sentiment < NEGATIVE_BELOW,
                    FeedbackRow.customer_id.in_(customer_ids[start : start + 1000]),
                    FeedbackRow.created_at.is_not(None),
                )
            )
            frames.append(read_frame(self.engine, query, ["customer_id", "created_at"]))
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["customer_id", "created_at"])
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
        return frame

    def mention_volume(self, journey_id: str, since: datetime) -> pd.DataFrame:
        """(touchpoint_key, location, created_at, negative) of every touchpoint mention of records
        created since then: what alerts count per touchpoint and store."""
        negative = case((AnalysisRow.sentiment < NEGATIVE_BELOW, 1), else_=0)
        query = (
            select(MentionRow.touchpoint_key, FeedbackRow.location, FeedbackRow.created_at, negative)
            .join(FeedbackRow, FeedbackRow.id == MentionRow.feedback_id)
            .join(
                AnalysisRow,
                and_(
                    AnalysisRow.feedback_id == MentionRow.feedback_id, AnalysisRow.journey_id == MentionRow.journey_id
                ),
            )
            .where(
                MentionRow.journey_id == journey_id,
                FeedbackRow.created_at >= since,
                AnalysisRow.sentiment.is_not(None),
            )
        )
        frame = read_frame(self.engine, query, ["touchpoint_key", "location", "created_at", "negative"])
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
        frame["location"] = frame["location"].fillna("")
        return frame

    def store_scores(self, journey_id: str, since: datetime) -> pd.DataFrame:
        """(location, nps) of the analysed records with an NPS answer created since then."""
        query = (
            select(FeedbackRow.location, FeedbackRow.nps)
            .join(AnalysisRow, AnalysisRow.feedback_id == FeedbackRow.id)
            .where(AnalysisRow.journey_id == journey_id, FeedbackRow.created_at >= since, FeedbackRow.nps.is_not(None))
        )
        frame = read_frame(self.engine, query, ["location", "nps"])
        frame["location"] = frame["location"].fillna("")
        return frame
