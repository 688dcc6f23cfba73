"""Store methods for the outbox: claim due notices under a lease, record attempts, list and
re-queue, and the endpoint state (disabled after 410, paused after 429/502/504).

Why a lease and not a lock held while sending: a worker killed mid-delivery (kill -9) leaves
its claim behind; when the lease runs out another worker (or the restarted one) sends the notice
again. A notice may so arrive twice, never not at all; the receiver de-duplicates by its
``webhook-id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, func, or_, select, update
from sqlalchemy.orm import Session

from carlzon.actions.models import DeliveryAttempt, Notice, NoticeStatus
from carlzon.errors import NotFoundError
from carlzon.storage.engine import as_utc
from carlzon.storage.tables import DeliveryAttemptRow, EndpointStateRow, NoticeRow


def _notice(row: NoticeRow) -> Notice:
    return Notice(
        id=row.id,
        msg_id=row.msg_id,
        channel=row.channel,
        event_type=row.event_type,
        payload=row.payload,
        task_id=row.task_id,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=as_utc(row.next_attempt_at),
        created_at=as_utc(row.created_at),
        delivered_at=as_utc(row.delivered_at),
        last_error=row.last_error,
    )


@dataclass(frozen=True)
class AttemptResult:
    """What became of one notice's attempt: delivered, to retry at ``next_attempt_at``, dead, or
    put back untried (``attempt`` None: e.g. its endpoint is paused)."""

    notice_id: int
    status: NoticeStatus
    next_attempt_at: datetime
    attempt: DeliveryAttempt | None
    error: str | None = None


@dataclass(frozen=True)
class EndpointState:
    channel: str
    disabled_at: datetime | None
    disabled_reason: str | None
    paused_until: datetime | None


class OutboxMixin:
    """Outbox methods of Store (see store.py)."""

    engine: Engine

    def claim_notices(self, now: datetime, *, lease: timedelta, limit: int = 200) -> list[Notice]:
        """Take up to ``limit`` due notices for ``lease``: one UPDATE … RETURNING, so two workers
        never take the same notice while its lease runs."""
        free = or_(NoticeRow.locked_until.is_(None), NoticeRow.locked_until < now)
        due = (
            select(NoticeRow.id)
            .where(NoticeRow.status == NoticeStatus.PENDING.value, NoticeRow.next_attempt_at <= now, free)
            .order_by(NoticeRow.next_attempt_at, NoticeRow.id)
            .limit(limit)
            .scalar_subquery()
        )
        claim = (
            update(NoticeRow)
            .where(NoticeRow.id.in_(due), free)
            .values(locked_until=now + lease)
            .returning(NoticeRow.id)
            .execution_options(synchronize_session=False)
        )
        with Session(self.engine) as session, session.begin():
            ids = sorted(session.scalars(claim))
        if not ids:
            return []
        with Session(self.engine) as session:
            rows = session.scalars(select(NoticeRow).where(NoticeRow.id.in_(ids)).order_by(NoticeRow.id))
            return [_notice(row) for row in rows]

    def record_deliveries(self, results: Sequence[AttemptResult], now: datetime) -> None:
        """Write each attempt and the notice's new state in one transaction, releasing the lease."""
        with Session(self.engine) as session, session.begin():
            for result in results:
                row = session.get(NoticeRow, result.notice_id)
                if row is None:
                    continue
                if result.attempt is not None:
                    attempt = result.attempt
                    session.add(
                        DeliveryAttemptRow(
                            notice_id=result.notice_id,
                            channel=attempt.channel,
                            at=attempt.at,
                            ok=attempt.ok,
                            status_code=attempt.status_code,
                            error=attempt.error,
                            duration_ms=attempt.duration_ms,
                            digest=attempt.digest,
                        )
                    )
                    row.attempts += 1
                row.status = result.status.value
                row.next_attempt_at = result.next_attempt_at
                row.locked_until = None
                row.last_error = result.error if result.status is not NoticeStatus.DELIVERED else None
                if result.status is NoticeStatus.DELIVERED:
                    row.delivered_at = now

    def list_notices(
        self, *, status: str | None = None, channel: str | None = None, task_id: int | None = None, limit: int = 200
    ) -> list[Notice]:
        """Notices newest first, optionally of one status, channel or task."""
        query = select(NoticeRow).order_by(NoticeRow.id.desc()).limit(limit)
        if status is not None:
            query = query.where(NoticeRow.status == status)
        if channel is not None:
            query = query.where(NoticeRow.channel == channel)
        if task_id is not None:
            query = query.where(NoticeRow.task_id == task_id)
        with Session(self.engine) as session:
            return [_notice(row) for row in session.scalars(query)]

    def notice_counts(self) -> dict[str, int]:
        with Session(self.engine) as session:
            rows = session.execute(select(NoticeRow.status, func.count()).group_by(NoticeRow.status))
            return {status: int(n) for status, n in rows}

    def delivery_attempts(self, notice_ids: Sequence[int]) -> dict[int, list[DeliveryAttempt]]:
        """Every attempt of these notices, oldest first."""
        out: dict[int, list[DeliveryAttempt]] = {}
        if not notice_ids:
            return out
        query = (
            select(DeliveryAttemptRow)
            .where(DeliveryAttemptRow.notice_id.in_(list(notice_ids)))
            .order_by(DeliveryAttemptRow.id)
        )
        with Session(self.engine) as session:
            for r in session.scalars(query):
                out.setdefault(r.notice_id, []).append(
                    DeliveryAttempt(
                        notice_id=r.notice_id,
                        channel=r.channel,
                        at=as_utc(r.at),
                        ok=r.ok,
                        status_code=r.status_code,
                        error=r.error,
                        duration_ms=r.duration_ms,
                        digest=r.digest,
                    )
                )
        return out

    def attempts_since(self, channel: str, since: datetime) -> int:
        """Messages sent to ``channel`` since then (a digest counts once): robots' rate limits."""
        query = select(func.count(func.distinct(DeliveryAttemptRow.at))).where(
            DeliveryAttemptRow.channel == channel, DeliveryAttemptRow.at >= since
        )
        with Session(self.engine) as session:
            return int(session.scalar(query) or 0)

    def requeue_notices(self, ids: Sequence[int] | None, now: datetime, *, channel: str | None = None) -> list[Notice]:
        """Put dead notices (these ids, or every dead one, optionally of one channel) back in the
        queue, due now, with a fresh retry schedule."""
        query = select(NoticeRow).where(NoticeRow.status == NoticeStatus.DEAD.value)
        if ids:
            query = query.where(NoticeRow.id.in_(list(ids)))
        if channel is not None:
            query = query.where(NoticeRow.channel == channel)
        with Session(self.engine) as session, session.begin():
            rows = list(session.scalars(query))
            if ids:
                missing = sorted(set(ids) - {row.id for row in rows})
                if missing:
                    raise NotFoundError(
                        f"no dead notice {', '.join(map(str, missing))}; see: carlzon deliveries list --status dead"
                    )
            for row in rows:
                row.status = NoticeStatus.PENDING.value
                row.next_attempt_at = now
                row.attempts = 0
                row.locked_until = None
            return [_notice(row) for row in rows]

    # -- endpoint state ------------------------------------------------------------------------

    def endpoint_states(self) -> dict[str, EndpointState]:
        with Session(self.engine) as session:
            return {
                r.channel: EndpointState(r.channel, as_utc(r.disabled_at), r.disabled_reason, as_utc(r.paused_until))
                for r in session.scalars(select(EndpointStateRow))
            }

    def set_endpoint_state(
        self,
        channel: str,
        *,
        disabled_at: datetime | None = None,
        disabled_reason: str | None = None,
        paused_until: datetime | None = None,
    ) -> None:
        with Session(self.engine) as session, session.begin():
            session.merge(
                EndpointStateRow(
                    channel=channel,
                    disabled_at=disabled_at,
                    disabled_reason=disabled_reason,
                    paused_until=paused_until,
                )
            )

    def pending_for(self, channel: str, now: datetime) -> int:
        """Pending notices of a channel that are due (a burst a robot's digest merges)."""
        query = select(func.count()).where(
            and_(
                NoticeRow.channel == channel,
                NoticeRow.status == NoticeStatus.PENDING.value,
                NoticeRow.next_attempt_at <= now,
            )
        )
        with Session(self.engine) as session:
            return int(session.scalar(query) or 0)
