"""What one piece of customer voice is, once it is in Carlzon. Pure types, no I/O."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Channel(StrEnum):
    """Where the customer spoke."""

    CALL_CENTRE = "call_centre"
    CHAT = "chat"
    APP_REVIEW = "app_review"
    ECOMMERCE_REVIEW = "ecommerce_review"
    SOCIAL = "social"
    STORE = "store"
    SURVEY = "survey"
    EMAIL = "email"
    OTHER = "other"


class FeedbackRecord(BaseModel):
    """One customer voice: the text plus whatever scores and context came with it."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1, description="File or feed it came from; with external_id it is unique")
    external_id: str = Field(min_length=1)
    channel: Channel
    brand: str = Field(min_length=1)
    text: str
    customer_id: str | None = None
    location: str | None = None
    created_at: datetime | None = None
    nps: int | None = Field(default=None, ge=0, le=10)
    csat: int | None = Field(default=None, ge=1, le=5)
    ces: int | None = Field(default=None, ge=1, le=7)
    rating: float | None = Field(default=None, ge=0, le=5)
    reach: int | None = Field(default=None, ge=0)
    meta: dict[str, Any] = Field(default_factory=dict)
