"""Store methods for service conversations: a batch committed with its feedback records, its
quarantined rows and the run's checkpoint in one transaction, and the reads of the coaching report.

Why the same transaction as the feedback: a conversation is two rows (its customer's words in
``feedback``, its turns and QA reading in ``conversations``); an import killed between the two
would leave a record whose conversation is lost, or the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from carlzon.serviceqa.models import StoredConversation, Turn
from carlzon.storage.engine import as_utc
from carlzon.storage.tables import ConversationRow, QuarantineRow


def _stored(row: ConversationRow) -> StoredConversation:
    return StoredConversation(
        source=row.source,
        external_id=row.external_id,
        agent=row.agent,
        team=row.team,
        channel=row.channel,
        location=row.location,
        started_at=as_utc(row.started_at),
        turns=tuple(Turn(t["role"], t["text"], t.get("at")) for t in row.turns),
        score=float(row.score),
        steps=tuple(row.steps),
        missing=tuple(row.missing),
        behaviours=tuple(row.behaviours),
        reasons=tuple(row.reasons),
        solved=bool(row.solved),
        communication=dict(row.communication or {}),
        appearance=row.appearance,
    )


def _stored_ids(session: Session, source: str, ids: set[str]) -> set[str]:
    """Which of ``ids`` are stored under ``source``, asked 1,000 at a time (SQLite's bound parameters)."""
    wanted, found = sorted(i for i in ids if i), set()
    for start in range(0, len(wanted), 1000):
        query = select(ConversationRow.external_id).where(
            ConversationRow.source == source, ConversationRow.external_id.in_(wanted[start : start + 1000])
        )
        found |= set(session.scalars(query))
    return found


class ConversationsMixin:
    """Conversation methods of Store (see store.py)."""

    engine: Engine
    writing: Callable[[], AbstractContextManager[object]]  # Store.writing
    insert_feedback_values: Callable[[Session, list[dict[str, Any]]], int]  # ImportsMixin
    record_batch: Callable[..., None]  # ImportsMixin

    def commit_conversation_batch(
        self,
        run_id: int,
        *,
        records: list[dict[str, Any]],
        conversations: list[dict[str, Any]],
        rejected: list[dict[str, Any]],
        rows_done: int,
        resolves: list[int] | None = None,
    ) -> tuple[int, int]:
        """Insert conversations (ConversationRow columns) with their feedback records (the same source
        and external id), the rejected rows and the checkpoint; ``resolves``: quarantine entries the
        batch settles (their conversation is in it, imported whole at last). Returns (imported, duplicates), counting
        conversations: one already stored is a duplicate, with its record."""
        now = datetime.now(UTC)
        with self.writing(), Session(self.engine) as session, session.begin():
            if records:
                self.insert_feedback_values(session, records)
            inserted = self._insert_conversations(session, [{**c, "imported_at": now} for c in conversations])
            if resolves:
                session.execute(update(QuarantineRow).where(QuarantineRow.id.in_(resolves)).values(status="resolved"))
            self.record_batch(session, run_id, rejected, rows_done, inserted, len(conversations) - inserted, now)
        return inserted, len(conversations) - inserted

    @staticmethod
    def _insert_conversations(session: Session, rows: list[dict[str, Any]]) -> int:
        """Insert those not already stored (same source and external id); returns how many were new.
        Looked up rather than counted from an ON CONFLICT's rowcount, which drivers report
        differently for a many-row insert."""
        new = []
        for source in {r["source"] for r in rows}:
            stored = _stored_ids(session, source, {r["external_id"] for r in rows if r["source"] == source})
            new += [r for r in rows if r["source"] == source and r["external_id"] not in stored]
        if new:
            session.execute(ConversationRow.__table__.insert(), new)
        return len(new)

    def conversations(
        self,
        *,
        since: datetime | None = None,
        agent: str | None = None,
        team: str | None = None,
    ) -> list[StoredConversation]:
        """Stored conversations, oldest first; ``since`` counts a conversation without a start time
        by when it was imported."""
        query = select(ConversationRow).order_by(ConversationRow.started_at, ConversationRow.id)
        if agent is not None:
            query = query.where(ConversationRow.agent == agent)
        if team is not None:
            query = query.where(ConversationRow.team == team)
        if since is not None:
            started = ConversationRow.started_at
            query = query.where((started >= since) | (started.is_(None) & (ConversationRow.imported_at >= since)))
        with Session(self.engine) as session:
            return [_stored(row) for row in session.scalars(query)]

    def stored_conversation_ids(self, source: str, ids: set[str]) -> set[str]:
        """Which of ``ids`` are stored under ``source``."""
        with Session(self.engine) as session:
            return _stored_ids(session, source, ids)

    def count_conversations(self) -> int:
        with Session(self.engine) as session:
            return int(session.scalar(select(func.count()).select_from(ConversationRow)) or 0)
