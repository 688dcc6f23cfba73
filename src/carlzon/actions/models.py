"""Tasks for the departments that own a touchpoint. Pure types (the lifecycle comes later)."""

from __future__ import annotations

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
