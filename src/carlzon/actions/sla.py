"""SLA clocks computed from a task's audit trail, so they can always be recomputed.

Why from the trail and not a stored countdown: when a department's calendar changes (a new
holiday, longer hours), or a task waited on the customer for a day, the due time must follow, and
the trail is the one record of when the task was running. A clock counts working time of the
department's calendar while the task is neither waiting on the customer nor closed; the
first-response clock stops at the first acknowledgement (or start, or resolution).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from carlzon.actions.calendar import Calendar
from carlzon.actions.models import CLOSED, TRANSITIONS, Task, TaskEvent, TaskStatus

_RESPONDED = frozenset({TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS, TaskStatus.RESOLVED, TaskStatus.VERIFIED})


@dataclass(frozen=True)
class SlaClock:
    """One target's clock: ``due_at`` when it is (or would be, once resumed) reached, the working
    time used, whether it is paused (waiting on the customer) or stopped (met or closed), and
    whether it was breached."""

    kind: str  # first_response | resolution
    target: timedelta
    used: timedelta
    due_at: datetime | None
    running: bool
    stopped_at: datetime | None
    breached: bool

    @property
    def paused(self) -> bool:
        return not self.running and self.stopped_at is None

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "target_hours": self.target.total_seconds() / 3600,
            "used_hours": round(self.used.total_seconds() / 3600, 4),
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "running": self.running,
            "paused": self.paused,
            "stopped_at": self.stopped_at.isoformat() if self.stopped_at else None,
            "breached": self.breached,
        }


def status_history(task: Task, events: Sequence[TaskEvent]) -> list[tuple[datetime, TaskStatus]]:
    """(when, status) from creation on, read off the trail's status moves."""
    assert task.created_at is not None, "a stored task has a creation time"
    history = [(task.created_at, TaskStatus.OPEN)]
    for event in events:
        to = event.detail.get("to") if event.detail else None
        if event.action in TRANSITIONS and isinstance(to, str):
            history.append((event.at, TaskStatus(to)))
    return history


def _runs_for_resolution(status: TaskStatus) -> bool:
    return status is not TaskStatus.WAITING and status not in CLOSED


def _intervals(
    history: list[tuple[datetime, TaskStatus]],
    runs: Callable[[TaskStatus], bool],
    stop_once: Callable[[TaskStatus], bool],
) -> tuple[list[tuple[datetime, datetime | None]], datetime | None]:
    """Running intervals [(start, end | None)] and when the clock stopped for good (if it did)."""
    intervals: list[tuple[datetime, datetime | None]] = []
    started: datetime | None = None
    for at, status in history:
        if stop_once(status):
            if started is not None:
                intervals.append((started, at))
            return intervals, at
        if runs(status) and started is None:
            started = at
        elif not runs(status) and started is not None:
            intervals.append((started, at))
            started = None
    if started is not None:
        intervals.append((started, None))
    return intervals, None


def clock(
    kind: str,
    target: timedelta,
    history: list[tuple[datetime, TaskStatus]],
    calendar: Calendar,
    now: datetime,
) -> SlaClock:
    """The ``kind`` clock of a task with this status history under ``calendar``."""
    if kind == "first_response":
        intervals, stopped = _intervals(history, lambda s: s is not TaskStatus.WAITING, lambda s: s in _RESPONDED)
    else:
        intervals, stopped = _intervals(history, _runs_for_resolution, lambda s: False)
        final = history[-1][1]
        if final in CLOSED:
            stopped = history[-1][0]
    used = used_before_last = timedelta(0)
    due: datetime | None = None
    for start, end in intervals:
        used_before_last = used
        piece = calendar.between(start, end or now)
        if due is None and used + piece >= target:
            due = calendar.add(start, target - used)
        used += piece
    running = bool(intervals) and intervals[-1][1] is None and stopped is None
    if due is None:
        # Not reached: when it will be if the clock runs on (from now when paused), or, for a
        # stopped clock, when it would have been.
        if running or (stopped is not None and intervals):
            due = calendar.add(intervals[-1][0], target - used_before_last)
        elif stopped is None:
            due = calendar.add(now, target - used)
    return SlaClock(kind, target, used, due, running, stopped, breached=used > target)


def clocks(task: Task, events: Sequence[TaskEvent], calendar: Calendar, now: datetime) -> list[SlaClock]:
    """The task's first-response and resolution clocks (those it has a target for)."""
    history = status_history(task, events)
    out = []
    if task.first_response_target is not None:
        out.append(clock("first_response", task.first_response_target, history, calendar, now))
    if task.resolution_target is not None:
        out.append(clock("resolution", task.resolution_target, history, calendar, now))
    return out
