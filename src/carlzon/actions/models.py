"""Tasks for the departments that own a touchpoint, and what a rule asks of the store. Pure types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, Field


class Priority(StrEnum):
    """How soon the owning department must act."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class TaskStatus(StrEnum):
    """Where a task is in its life: open → acknowledged → in progress → resolved → verified, or
    reopened; ``waiting`` (on the customer) pauses its SLA clocks."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    RESOLVED = "resolved"
    VERIFIED = "verified"
    REOPENED = "reopened"


CLOSED = frozenset({TaskStatus.RESOLVED, TaskStatus.VERIFIED})

# What each action moves a task from and to: anything else is refused with the allowed moves.
TRANSITIONS: dict[str, tuple[frozenset[TaskStatus], TaskStatus]] = {
    "acknowledge": (frozenset({TaskStatus.OPEN, TaskStatus.REOPENED}), TaskStatus.ACKNOWLEDGED),
    "start": (
        frozenset({TaskStatus.OPEN, TaskStatus.ACKNOWLEDGED, TaskStatus.WAITING, TaskStatus.REOPENED}),
        TaskStatus.IN_PROGRESS,
    ),
    "wait": (frozenset({TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS}), TaskStatus.WAITING),
    "resolve": (
        frozenset(
            {TaskStatus.OPEN, TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS, TaskStatus.WAITING, TaskStatus.REOPENED}
        ),
        TaskStatus.RESOLVED,
    ),
    "verify": (frozenset({TaskStatus.RESOLVED}), TaskStatus.VERIFIED),
    "reopen": (frozenset({TaskStatus.RESOLVED, TaskStatus.VERIFIED}), TaskStatus.REOPENED),
}


class Task(BaseModel):
    """A piece of work for a department, tied to one touchpoint of one journey (and, when a rule
    made it, to the feedback behind it)."""

    id: int | None = None
    journey_id: str
    touchpoint_id: str
    title: str = Field(min_length=1)
    department: str = Field(min_length=1)
    priority: Priority = Priority.MEDIUM
    status: TaskStatus = TaskStatus.OPEN
    due_at: datetime | None = None  # resolution due
    created_at: datetime | None = None
    rule_id: str | None = None
    assignee: str | None = None
    customer_id: str | None = None
    location: str | None = None
    severity: str | None = None
    first_response_due: datetime | None = None
    first_response_target: timedelta | None = None  # working time of the department's calendar
    resolution_target: timedelta | None = None
    escalations: list[int] = Field(default_factory=list)  # escalation steps taken (1-based)
    improvement_id: int | None = None  # the improvement its resolution recorded (reviewed by mot.review)
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    recovery: bool = False
    contacted_back: bool | None = None
    recovery_outcome: str | None = None
    tags: list[str] = Field(default_factory=list)
    feedback_ids: list[int] = Field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json")


class TaskEvent(BaseModel):
    """One line of a task's audit trail: who did what, when."""

    task_id: int
    at: datetime
    actor: str
    action: str
    detail: dict[str, object] = Field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json")


class NoticeStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"  # out of retries or its endpoint disabled: `carlzon deliveries retry` re-queues it


@dataclass(frozen=True)
class NoticeDraft:
    """A notice to write in the same transaction as what it announces."""

    channel: str
    event_type: str  # task.created, task.escalated, alert.fired
    payload: dict[str, object]


class Notice(BaseModel):
    """A notice in the outbox: what to send where, and how its delivery stands."""

    id: int
    msg_id: str
    channel: str
    event_type: str
    payload: dict[str, object]
    task_id: int | None
    status: NoticeStatus
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    delivered_at: datetime | None = None
    last_error: str | None = None

    def to_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json")


class DeliveryAttempt(BaseModel):
    notice_id: int
    channel: str
    at: datetime
    ok: bool
    status_code: int | None = None
    error: str | None = None
    duration_ms: float = 0.0
    digest: bool = False

    def to_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json")


@dataclass(frozen=True)
class RecordFilter:
    """The conditions of a rule the store evaluates in SQL (storage.actions.rule_matches); the
    rest (regular expressions, segments, repeat complaints) are applied to what it returns.
    Empty collections and None mean "any"."""

    touchpoints: frozenset[str] = frozenset()  # mentions any of these (a rule's stages expanded)
    sentiment_at_most: float | None = None
    emotions: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    stores: tuple[str, ...] = ()
    nps_at_most: int | None = None
    csat_at_most: int | None = None
    reach_above: int | None = None
    min_severity: int | None = None  # actions.severity.Severity.rank
    keywords: tuple[str, ...] = ()  # normalised; the normalised text contains any of them
    sensitive: tuple[str, ...] = field(default=())  # the rules file's sensitive touchpoints (for severity)
