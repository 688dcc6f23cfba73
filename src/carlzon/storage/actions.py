"""Store methods the closed loop reads: analysed records in chunks, with the touchpoints they name,
and customers' earlier complaints (for rules that fire on a repeat complaint)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, select

from carlzon.storage.engine import read_frame, read_frame_unprocessed
from carlzon.storage.tables import AnalysisRow, FeedbackRow, MentionRow

NEGATIVE_BELOW = -0.2  # the negative sentiment band (analysis.sentiment.cues.NEUTRAL_BAND)


class ActionsMixin:
    """Read methods of Store for rules, tasks and alerts (see store.py)."""

    engine: Engine

    def analysed_chunks(
        self,
        journey_id: str,
        *,
        since: datetime | None = None,
        size: int = 50_000,
        with_text: bool = True,
        with_segment: bool = False,
    ) -> Iterator[pd.DataFrame]:
        """The journey's analysed records created at or after ``since``, in id order, ``size`` at a
        time, each with the list of touchpoint ids it mentions (column ``touchpoints``) and, with
        ``with_segment``, the customer segment from its ``segment`` column (meta). Without
        ``with_text`` only the normalised text is read (the original's column is empty): half the
        bytes."""
        after = 0
        columns = [
            FeedbackRow.id.label("feedback_id"),
            *([FeedbackRow.text] if with_text else []),
            AnalysisRow.normalised,
            FeedbackRow.created_at,
            FeedbackRow.channel,
            FeedbackRow.brand,
            FeedbackRow.location,
            FeedbackRow.customer_id,
            FeedbackRow.nps,
            FeedbackRow.csat,
            FeedbackRow.reach,
            AnalysisRow.sentiment,
            AnalysisRow.emotion,
        ]
        if with_segment:
            columns.append(FeedbackRow.meta)
        while True:
            query = (
                select(*columns)
                .join(AnalysisRow, AnalysisRow.feedback_id == FeedbackRow.id)
                .where(AnalysisRow.journey_id == journey_id, FeedbackRow.id > after)
                .order_by(FeedbackRow.id)
                .limit(size)
            )
            if since is not None:
                query = query.where(FeedbackRow.created_at >= since)
            # JSON (meta) needs SQLAlchemy's processing; the rest is read straight from the driver.
            chunk = (
                read_frame(self.engine, query)
                if with_segment
                else read_frame_unprocessed(self.engine, query, [c.key for c in columns])
            )
            if chunk.empty:
                return
            after = int(chunk["feedback_id"].iloc[-1])
            if not with_text:
                chunk["text"] = None
            chunk["created_at"] = pd.to_datetime(chunk["created_at"], utc=True)
            meta = chunk.pop("meta") if with_segment else None
            chunk["segment"] = (
                [m.get("segment") if isinstance(m, dict) else None for m in meta] if meta is not None else None
            )
            chunk["touchpoints"] = self._touchpoints_of(journey_id, int(chunk["feedback_id"].iloc[0]), after, chunk)
            yield chunk

    def _touchpoints_of(self, journey_id: str, first: int, last: int, chunk: pd.DataFrame) -> list[list[str]]:
        query = select(MentionRow.feedback_id, MentionRow.touchpoint_key).where(
            MentionRow.journey_id == journey_id, MentionRow.feedback_id.between(first, last)
        )
        with self.engine.connect() as connection:
            mentions = connection.execute(query).cursor.fetchall()
        named: dict[int, list[str]] = {}
        for feedback_id, touchpoint in mentions:  # a plain loop: pandas' groupby(list) is 50x slower here
            named.setdefault(int(feedback_id), []).append(touchpoint)
        return [named.get(int(i), []) for i in chunk["feedback_id"].tolist()]

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
