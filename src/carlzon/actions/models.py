"""Tasks for the departments that own a touchpoint, and what a rule asks of the store. Pure types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class Priority(StrEnum):
    """How soon the owning department must act."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class TaskStatus(StrEnum):
    """Where a task is in its life."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Task(BaseModel):
    """A piece of work for a department, tied to one touchpoint of one journey."""

    id: int | None = None
    journey_id: str
    touchpoint_id: str
    title: str = Field(min_length=1)
    department: str = Field(min_length=1)
    priority: Priority = Priority.MEDIUM
    status: TaskStatus = TaskStatus.OPEN
    due_at: datetime | None = None
    created_at: datetime | None = None


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
