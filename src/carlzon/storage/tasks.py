"""Store methods for tasks: create, find the open one a match joins, change with an audit line in
the same transaction, list, and the rule cursors (the last record each rule has seen)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from carlzon.actions.models import CLOSED, NoticeDraft, NoticeStatus, Task, TaskEvent
from carlzon.errors import NotFoundError
from carlzon.storage.engine import as_utc
from carlzon.storage.tables import (
    FeedbackRow,
    NoticeRow,
    RuleCursorRow,
    TaskEscalationRow,
    TaskEventRow,
    TaskFeedbackRow,
    TaskRow,
)

_CLOSED = sorted(status.value for status in CLOSED)


def _task(row: TaskRow, feedback_ids: list[int], escalations: list[int] | None = None) -> Task:
    return Task(
        id=row.id,
        journey_id=row.journey_id,
        touchpoint_id=row.touchpoint_key,
        title=row.title,
        department=row.department,
        priority=row.priority,
        status=row.status,
        due_at=as_utc(row.due_at),
        created_at=as_utc(row.created_at),
        rule_id=row.rule_id,
        assignee=row.assignee,
        customer_id=row.customer_id,
        location=row.location,
        severity=row.severity,
        first_response_due=as_utc(row.first_response_due),
        acknowledged_at=as_utc(row.acknowledged_at),
        resolved_at=as_utc(row.resolved_at),
        recovery=bool(row.recovery),
        contacted_back=row.contacted_back,
        recovery_outcome=row.recovery_outcome,
        tags=list(row.tags or []),
        feedback_ids=feedback_ids,
        first_response_target=_seconds(row.first_response_target_s),
        resolution_target=_seconds(row.resolution_target_s),
        escalations=escalations or [],
        improvement_id=row.improvement_id,
    )


def _seconds(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(seconds=value)


def add_notices(session: Session, drafts: Sequence[NoticeDraft], *, task_id: int | None, at: datetime) -> None:
    """Write notices in the caller's transaction (the outbox: they exist exactly when what they
    announce does)."""
    for draft in drafts:
        session.add(
            NoticeRow(
                msg_id=f"msg_{uuid.uuid4().hex}",
                channel=draft.channel,
                event_type=draft.event_type,
                payload=draft.payload,
                task_id=task_id,
                status=NoticeStatus.PENDING.value,
                attempts=0,
                next_attempt_at=at,
                created_at=at,
            )
        )


def _total(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


class TasksMixin:
    """Task methods of Store (see store.py)."""

    engine: Engine

    def add_task(
        self,
        task: Task,
        *,
        dedupe_key: str | None = None,
        actor: str = "carlzon",
        detail: dict[str, Any] | None = None,
        notices: Callable[[Task], Sequence[NoticeDraft]] | None = None,
    ) -> Task:
        """Store a task (and its links to feedback) with a 'created' audit line, and the notices
        ``notices`` makes of the stored task, all in one transaction; returns it with its id."""
        created = as_utc(task.created_at) or datetime.now(UTC)
        with Session(self.engine) as session, session.begin():
            row = TaskRow(
                journey_id=task.journey_id,
                touchpoint_key=task.touchpoint_id,
                title=task.title,
                department=task.department,
                priority=task.priority.value,
                status=task.status.value,
                due_at=as_utc(task.due_at),
                created_at=created,
                rule_id=task.rule_id,
                assignee=task.assignee,
                customer_id=task.customer_id,
                location=task.location,
                severity=task.severity,
                dedupe_key=dedupe_key,
                first_response_due=as_utc(task.first_response_due),
                recovery=task.recovery,
                tags=list(task.tags),
                first_response_target_s=_total(task.first_response_target),
                resolution_target_s=_total(task.resolution_target),
            )
            session.add(row)
            session.flush()
            for feedback_id in dict.fromkeys(task.feedback_ids):
                session.add(TaskFeedbackRow(task_id=row.id, feedback_id=feedback_id, linked_at=created))
            session.add(TaskEventRow(task_id=row.id, at=created, actor=actor, action="created", detail=detail or {}))
            stored = task.model_copy(update={"id": row.id, "created_at": created})
            if notices is not None:
                add_notices(session, notices(stored), task_id=row.id, at=created)
            return stored

    def escalate_task(
        self, task_id: int, step: int, escalated_to: str, event: TaskEvent, notices: Sequence[NoticeDraft]
    ) -> bool:
        """Record escalation ``step`` of a task with its audit line and notices, in one
        transaction; False (and nothing written) if that step was already taken."""
        try:
            with Session(self.engine) as session, session.begin():
                session.add(TaskEscalationRow(task_id=task_id, step=step, at=event.at, escalated_to=escalated_to))
                session.flush()  # the primary key refuses a second escalation of this step here
                session.add(
                    TaskEventRow(
                        task_id=task_id, at=event.at, actor=event.actor, action=event.action, detail=event.detail
                    )
                )
                add_notices(session, notices, task_id=task_id, at=event.at)
        except IntegrityError:
            return False
        return True

    def set_task_due(self, task_id: int, first_response_due: datetime | None, due_at: datetime | None) -> None:
        """Store recomputed due times (a cache of the clocks, for listing and the report)."""
        with Session(self.engine) as session, session.begin():
            row = session.get(TaskRow, task_id)
            if row is not None:
                row.first_response_due, row.due_at = first_response_due, due_at

    def open_task_for(self, rule_id: str, dedupe_key: str, *, opened_since: datetime) -> int | None:
        """The id of the rule's task for ``dedupe_key`` that is not closed and was opened after
        ``opened_since`` (strictly: a zero window joins nothing, not even a task the same run
        opened a moment ago at the run's own "now"; the dry run counts windows the same way)."""
        query = (
            select(TaskRow.id)
            .where(
                TaskRow.rule_id == rule_id,
                TaskRow.dedupe_key == dedupe_key,
                TaskRow.status.not_in(_CLOSED),
                TaskRow.created_at > opened_since,
            )
            .order_by(TaskRow.id.desc())
            .limit(1)
        )
        with Session(self.engine) as session:
            return session.scalar(query)

    def has_task_with_key(self, rule_id: str, dedupe_key: str) -> bool:
        """Whether ``rule_id`` ever opened a task under this key (an alert fires once per period)."""
        query = select(TaskRow.id).where(TaskRow.rule_id == rule_id, TaskRow.dedupe_key == dedupe_key).limit(1)
        with Session(self.engine) as session:
            return session.scalar(query) is not None

    def feedback_brand(self, feedback_ids: Sequence[int]) -> str | None:
        """The brand of the first of these records (a task's improvement is the brand's)."""
        if not feedback_ids:
            return None
        with Session(self.engine) as session:
            return session.scalar(select(FeedbackRow.brand).where(FeedbackRow.id == min(feedback_ids)))

    def link_feedback(self, task_id: int, feedback_ids: Sequence[int], *, actor: str = "rules") -> int:
        """Attach further matches to a task (with a 'matched' audit line); how many were new."""
        now = datetime.now(UTC)
        with Session(self.engine) as session, session.begin():
            known = set(session.scalars(select(TaskFeedbackRow.feedback_id).where(TaskFeedbackRow.task_id == task_id)))
            new = [i for i in dict.fromkeys(feedback_ids) if i not in known]
            for feedback_id in new:
                session.add(TaskFeedbackRow(task_id=task_id, feedback_id=feedback_id, linked_at=now))
            if new:
                session.add(
                    TaskEventRow(task_id=task_id, at=now, actor=actor, action="matched", detail={"feedback_ids": new})
                )
            return len(new)

    def get_task(self, task_id: int) -> Task:
        with Session(self.engine) as session:
            row = session.get(TaskRow, task_id)
            if row is None:
                raise NotFoundError(f"no task {task_id}; see: carlzon tasks list")
            ids = list(
                session.scalars(
                    select(TaskFeedbackRow.feedback_id)
                    .where(TaskFeedbackRow.task_id == task_id)
                    .order_by(TaskFeedbackRow.feedback_id)
                )
            )
            steps = list(
                session.scalars(
                    select(TaskEscalationRow.step)
                    .where(TaskEscalationRow.task_id == task_id)
                    .order_by(TaskEscalationRow.step)
                )
            )
            return _task(row, ids, steps)

    def change_task(self, task_id: int, changes: dict[str, Any], event: TaskEvent) -> Task:
        """Apply ``changes`` (TaskRow column values) and write ``event`` in one transaction."""
        with Session(self.engine) as session, session.begin():
            row = session.get(TaskRow, task_id, with_for_update=True)
            if row is None:
                raise NotFoundError(f"no task {task_id}; see: carlzon tasks list")
            for name, value in changes.items():
                setattr(row, name, value)
            session.add(
                TaskEventRow(task_id=task_id, at=event.at, actor=event.actor, action=event.action, detail=event.detail)
            )
        return self.get_task(task_id)

    def task_events(self, task_id: int) -> list[TaskEvent]:
        query = select(TaskEventRow).where(TaskEventRow.task_id == task_id).order_by(TaskEventRow.id)
        with Session(self.engine) as session:
            return [
                TaskEvent(task_id=r.task_id, at=as_utc(r.at), actor=r.actor, action=r.action, detail=r.detail or {})
                for r in session.scalars(query)
            ]

    def list_tasks(
        self,
        journey_id: str | None = None,
        *,
        statuses: Sequence[str] = (),
        department: str | None = None,
        assignee: str | None = None,
        after: int = 0,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[Task]:
        """Stored tasks, oldest first, optionally of one journey, statuses, department or assignee;
        a page of ``limit`` with numbers above ``after`` (keyset: stable while tasks are added)."""
        if newest_first:  # keyset the other way: ``after`` is then the number to go below (0: from the top)
            query = select(TaskRow).order_by(TaskRow.id.desc())
            if after:
                query = query.where(TaskRow.id < after)
        else:
            query = select(TaskRow).where(TaskRow.id > after).order_by(TaskRow.id)
        if limit is not None:
            query = query.limit(limit)
        if journey_id is not None:
            query = query.where(TaskRow.journey_id == journey_id)
        if statuses:
            query = query.where(TaskRow.status.in_(list(statuses)))
        if department is not None:
            query = query.where(TaskRow.department == department)
        if assignee is not None:
            query = query.where(TaskRow.assignee == assignee)
        with Session(self.engine) as session:
            rows = list(session.scalars(query))
            links_query = select(TaskFeedbackRow.task_id, TaskFeedbackRow.feedback_id)
            steps_query = select(TaskEscalationRow.task_id, TaskEscalationRow.step)
            if limit is not None:  # a page: only its tasks' links
                ids = [row.id for row in rows]
                links_query = links_query.where(TaskFeedbackRow.task_id.in_(ids))
                steps_query = steps_query.where(TaskEscalationRow.task_id.in_(ids))
            links: dict[int, list[int]] = {}
            for task_id, feedback_id in session.execute(links_query.order_by(TaskFeedbackRow.feedback_id)):
                links.setdefault(task_id, []).append(feedback_id)
            steps: dict[int, list[int]] = {}
            for task_id, step in session.execute(steps_query.order_by(TaskEscalationRow.step)):
                steps.setdefault(task_id, []).append(step)
            return [_task(row, links.get(row.id, []), steps.get(row.id)) for row in rows]

    def task_counts(
        self, *, statuses: Sequence[str], now: datetime, department: str | None = None
    ) -> dict[str, tuple[int, int]]:
        """Per department: tasks in ``statuses`` and how many of them are past their due time."""
        overdue = func.sum(case((TaskRow.due_at < now, 1), else_=0))
        query = (
            select(TaskRow.department, func.count(), overdue)
            .where(TaskRow.status.in_(list(statuses)))
            .group_by(TaskRow.department)
            .order_by(TaskRow.department)
        )
        if department is not None:
            query = query.where(TaskRow.department == department)
        with Session(self.engine) as session:
            return {name: (int(n), int(late or 0)) for name, n, late in session.execute(query)}

    # -- rule cursors --------------------------------------------------------------------------

    def rule_cursor(self, journey_id: str, rule_id: str) -> int:
        """The last feedback id ``rule_id`` has been applied to (0: none yet)."""
        with Session(self.engine) as session:
            row = session.get(RuleCursorRow, (journey_id, rule_id))
            return row.last_feedback_id if row is not None else 0

    def set_rule_cursor(self, journey_id: str, rule_id: str, last_feedback_id: int) -> None:
        with Session(self.engine) as session, session.begin():
            session.merge(RuleCursorRow(journey_id=journey_id, rule_id=rule_id, last_feedback_id=last_feedback_id))


class RecoveryMixin:
    """What became of customers after a complaint-recovery task (see store.py)."""

    engine: Engine

    def customer_after(self, customer_id: str, after: datetime) -> tuple[bool, int | None]:
        """Whether the customer gave feedback after that time, and the first NPS they gave then."""
        query = (
            select(FeedbackRow.nps)
            .where(FeedbackRow.customer_id == customer_id, FeedbackRow.created_at > after)
            .order_by(FeedbackRow.created_at)
        )
        with Session(self.engine) as session:
            later = list(session.scalars(query.limit(50)))
        return bool(later), next((n for n in later if n is not None), None)

    def task_nps(self, feedback_ids: Sequence[int]) -> int | None:
        """The NPS given with the feedback behind a task (its first record that has one)."""
        if not feedback_ids:
            return None
        query = select(FeedbackRow.nps).where(FeedbackRow.id.in_(list(feedback_ids)), FeedbackRow.nps.is_not(None))
        with Session(self.engine) as session:
            return session.scalar(query.order_by(FeedbackRow.id).limit(1))
