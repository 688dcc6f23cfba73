"""A task's life: acknowledge, start, wait on the customer, resolve, verify, reopen, assign,
comment. Every change writes an audit line (who, what, when) in the same transaction, and a move
the lifecycle does not allow is refused with the moves it does."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from carlzon.actions.models import TRANSITIONS, Task, TaskEvent, TaskStatus
from carlzon.errors import InputError
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
    now: datetime | None = None,
) -> Task:
    """Apply one lifecycle ``action`` (acknowledge, start, wait, resolve, verify, reopen)."""
    if action not in TRANSITIONS:
        raise InputError(f"unknown task action {action!r}; use one of: {', '.join(ACTIONS)}")
    task = store.get_task(task_id)
    allowed_from, to = TRANSITIONS[action]
    if task.status not in allowed_from:
        possible = [name for name, (sources, _) in TRANSITIONS.items() if task.status in sources]
        raise InputError(
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
    if to is TaskStatus.REOPENED:
        changes["resolved_at"] = None
    detail: dict[str, object] = {"from": task.status.value, "to": to.value}
    if note:
        detail["note"] = note
    if "contacted_back" in changes:
        detail |= {"contacted_back": contacted_back, "outcome": outcome}
    return store.change_task(
        task_id, changes, TaskEvent(task_id=task_id, at=at, actor=actor, action=action, detail=detail)
    )


def assign_task(store: Store, task_id: int, assignee: str, *, actor: str, now: datetime | None = None) -> Task:
    if not assignee.strip():
        raise InputError("give the person to assign the task to")
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
    store.get_task(task_id)
    event = TaskEvent(
        task_id=task_id, at=now or datetime.now(UTC), actor=actor, action="comment", detail={"text": text}
    )
    return store.change_task(task_id, {}, event)
