"""A task's life: acknowledge, start, wait on the customer, resolve, verify, reopen, assign,
comment. Every change writes an audit line (who, what, when) in the same transaction, and a move
the lifecycle does not allow is refused with the moves it does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from carlzon.actions.models import TRANSITIONS, Task, TaskEvent, TaskStatus
from carlzon.errors import AnalysisError, InputError, StateError
from carlzon.mot.models import Improvement
from carlzon.storage import Store

ACTIONS = tuple(TRANSITIONS)


def move_task(
    store: Store,
    task_id: int,
    action: str,
    *,
    actor: str,
    note: str | None = None,
    contacted_back: bool | None = None,
    outcome: str | None = None,
    improvement: ImprovementMade | None = None,
    now: datetime | None = None,
) -> Task:
    """Apply one lifecycle ``action`` (acknowledge, start, wait, resolve, verify, reopen). Resolving
    may record the ``improvement`` the task made, which the review then judges (task_review)."""
    if action not in TRANSITIONS:
        raise InputError(f"unknown task action {action!r}; use one of: {', '.join(ACTIONS)}")
    task = store.get_task(task_id)
    allowed_from, to = TRANSITIONS[action]
    if task.status not in allowed_from:
        possible = [name for name, (sources, _) in TRANSITIONS.items() if task.status in sources]
        raise StateError(
            f"task {task_id} is {task.status.value}: '{action}' is not possible now; possible: "
            f"{', '.join(possible) or 'nothing (it is closed)'}"
        )
    at = now or datetime.now(UTC)
    changes: dict[str, Any] = {"status": to.value}
    if to in (TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS) and task.acknowledged_at is None:
        changes["acknowledged_at"] = at  # the first response
    if to is TaskStatus.RESOLVED:
        changes["resolved_at"] = at
        if task.recovery:
            if contacted_back is None:
                raise InputError(
                    f"task {task_id} is a complaint-recovery task: say whether the customer was contacted back "
                    "(--contacted / --not-contacted) and the outcome (--outcome)"
                )
            changes["contacted_back"] = contacted_back
            changes["recovery_outcome"] = outcome
    if improvement is not None:
        if to is not TaskStatus.RESOLVED:
            raise InputError(
                "an improvement is recorded when the task is resolved: carlzon tasks resolve --improvement"
            )
        recorded = _record_improvement(store, task, improvement, at)
        changes["improvement_id"] = recorded.id
    if to is TaskStatus.REOPENED:
        changes["resolved_at"] = None
    detail: dict[str, object] = {"from": task.status.value, "to": to.value}
    if note:
        detail["note"] = note
    if "contacted_back" in changes:
        detail |= {"contacted_back": contacted_back, "outcome": outcome}
    if "improvement_id" in changes:
        detail["improvement_id"] = changes["improvement_id"]
    return store.change_task(
        task_id, changes, TaskEvent(task_id=task_id, at=at, actor=actor, action=action, detail=detail)
    )


@dataclass(frozen=True)
class ImprovementMade:
    """What resolving a task changed: at the task's touchpoint, from a date (default: now), at
    some stores (default: all), at a cost."""

    description: str
    started_on: datetime | None = None
    stores: tuple[str, ...] = ()
    cost: float | None = None
    brand: str | None = None  # default: the brand of the feedback behind the task


def _record_improvement(store: Store, task: Task, made: ImprovementMade, at: datetime) -> Improvement:
    from carlzon.mot.improvements import add_improvement  # with the review: scipy, a second to import

    if task.touchpoint_id not in {tp.id for tp in store.get_journey(task.journey_id).touchpoints()}:
        raise InputError(
            f"task {task.id} names no touchpoint of journey '{task.journey_id}': record the improvement with "
            "carlzon review add instead"
        )
    brand = made.brand or store.feedback_brand(task.feedback_ids)
    if not brand:
        raise InputError(f"task {task.id} has no feedback to take the brand from: give --brand")
    return add_improvement(
        store=store,
        journey_id=task.journey_id,
        touchpoint_id=task.touchpoint_id,
        started_on=made.started_on or at,
        description=made.description,
        brand=brand,
        cost=made.cost,
        locations=list(made.stores),
    )


def task_review(store: Store, task: Task) -> dict[str, object] | None:
    """The review's verdict on the improvement the task recorded (None without one): the result
    once enough feedback has arrived after it, else why not yet."""
    if task.improvement_id is None:
        return None
    from carlzon.mot.review import review_improvement  # scipy and statsmodels: only when there is one

    improvement = next((i for i in store.list_improvements(task.journey_id) if i.id == task.improvement_id), None)
    if improvement is None:
        return None
    try:
        result = review_improvement(store.review_frame(task.journey_id, improvement.brand), improvement)
    except AnalysisError as exc:
        return {"improvement_id": improvement.id, "worked": None, "summary": f"not judged yet: {exc}"}
    return {"improvement_id": improvement.id, "worked": result.worked, "summary": result.summary}


MAX_COMMENT = 10_000  # characters: a note, not a document
MAX_NAME = 120


def assign_task(store: Store, task_id: int, assignee: str, *, actor: str, now: datetime | None = None) -> Task:
    if not assignee.strip():
        raise InputError("give the person to assign the task to")
    if len(assignee.strip()) > MAX_NAME:
        raise InputError(f"an assignee's name has at most {MAX_NAME} characters")
    task = store.get_task(task_id)
    event = TaskEvent(
        task_id=task_id,
        at=now or datetime.now(UTC),
        actor=actor,
        action="assign",
        detail={"from": task.assignee, "to": assignee.strip()},
    )
    return store.change_task(task_id, {"assignee": assignee.strip()}, event)


def comment_task(store: Store, task_id: int, text: str, *, actor: str, now: datetime | None = None) -> Task:
    if not text.strip():
        raise InputError("the comment is empty")
    if len(text) > MAX_COMMENT:
        raise InputError(f"the comment has {len(text):,} characters; keep it under {MAX_COMMENT:,}")
    store.get_task(task_id)
    event = TaskEvent(
        task_id=task_id, at=now or datetime.now(UTC), actor=actor, action="comment", detail={"text": text}
    )
    return store.change_task(task_id, {}, event)
