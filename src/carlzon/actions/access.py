"""Who may see and work which task: a department member only their department's tasks (and the
feedback behind them); everyone else every task their scopes allow. The web app and the API both
go through these, so a page cannot show what the API would refuse."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from carlzon.accounts.models import AuditDraft, Principal
from carlzon.actions.models import CLOSED, Task, TaskStatus
from carlzon.actions.tasks import assign_task, comment_task, move_task
from carlzon.errors import InputError, PermissionDeniedError
from carlzon.storage.store import Store

MAX_PAGE = 200


@dataclass(frozen=True)
class TaskPage:
    """A page of tasks and the cursor of the next (None: this is the last)."""

    data: list[Task]
    count: int
    next_after: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"data": [t.to_dict() for t in self.data], "count": self.count, "next_after": self.next_after}


def open_statuses() -> list[str]:
    return [s.value for s in TaskStatus if s not in CLOSED]


def visible_tasks(
    *,
    store: Store,
    principal: Principal,
    statuses: Sequence[str] = (),
    department: str | None = None,
    after: int = 0,
    limit: int = 50,
    order: str = "oldest",
) -> TaskPage:
    """The tasks ``principal`` may see, a page at a time: ``order`` "oldest" (first opened first) or
    "newest"; ``after``: the next_after of the page before."""
    if order not in ("oldest", "newest"):
        raise InputError("order must be oldest or newest")
    if not 1 <= limit <= MAX_PAGE:
        raise InputError(f"limit must be 1 to {MAX_PAGE}")
    unknown = sorted(set(statuses) - {s.value for s in TaskStatus})
    if unknown:
        raise InputError(f"unknown status {', '.join(unknown)}; use: {', '.join(s.value for s in TaskStatus)}")
    own = principal.department
    if own is not None:
        if department is not None and department != own:
            raise PermissionDeniedError(f"you see only the tasks of {own}")
        department = own
    tasks = store.list_tasks(
        statuses=list(statuses),
        department=department,
        after=after,
        limit=limit + 1,
        newest_first=order == "newest",
    )
    more = len(tasks) > limit
    tasks = tasks[:limit]
    return TaskPage(tasks, len(tasks), tasks[-1].id if more and tasks else None)


def visible_task(*, store: Store, principal: Principal, task_id: int) -> Task:
    """One task, if ``principal`` may see it."""
    task = store.get_task(task_id)
    check_department(principal, task)
    return task


def check_department(principal: Principal, task: Task) -> None:
    own = principal.department
    if own is not None and task.department != own:
        raise PermissionDeniedError(f"task {task.id} belongs to {task.department}; you work on the tasks of {own}")


def work_task(
    *,
    store: Store,
    principal: Principal,
    task_id: int,
    action: str,
    note: str | None = None,
    assignee: str | None = None,
    contacted_back: bool | None = None,
    outcome: str | None = None,
    source: str | None = None,
) -> Task:
    """One change to a task by ``principal``: a lifecycle move, "assign" or "comment". The task's
    own trail keeps it, and the audit log keeps who, what and from which address (``source``)."""
    before = store.get_task(task_id)
    check_department(principal, before)
    actor = principal.actor
    if action == "assign":
        task = assign_task(store, task_id, assignee or "", actor=actor)
    elif action == "comment":
        task = comment_task(store, task_id, note or "", actor=actor)
    else:
        task = move_task(store, task_id, action, actor=actor, note=note, contacted_back=contacted_back, outcome=outcome)
    detail: dict[str, object] = {"from": before.status.value, "to": task.status.value}
    if action == "assign":
        detail["assignee"] = task.assignee
    store.append_audit(AuditDraft(actor, f"task.{action}", f"task {task_id}", source, detail), at=datetime.now(UTC))
    return task


def task_counts(*, store: Store, principal: Principal, now: datetime | None = None) -> dict[str, tuple[int, int]]:
    """Open and overdue tasks per department that ``principal`` may see, counted by the database."""
    return store.task_counts(statuses=open_statuses(), now=now or datetime.now(UTC), department=principal.department)
