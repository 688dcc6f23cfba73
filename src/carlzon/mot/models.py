"""Pure types for moments of truth and their review."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Improvement(BaseModel):
    """A change made at one touchpoint (optionally only at some locations), from a date on."""

    id: int | None = None
    journey_id: str
    touchpoint_id: str
    brand: str
    started_on: datetime
    description: str = Field(min_length=1)
    cost: float | None = Field(default=None, ge=0)
    locations: list[str] = Field(default_factory=list)
