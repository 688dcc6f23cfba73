"""What a service conversation is: turns of a customer and an agent, in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Role = Literal["customer", "agent"]
STEPS = ("explore", "offer", "act", "confirm")  # EOAC, in the order a good answer takes them
BEHAVIOURS = ("apology", "empathy", "ownership", "politeness", "blame", "deflection", "brush_off")


@dataclass(frozen=True)
class Turn:
    """One utterance: who said it and what (PII already redacted when it came through ingest)."""

    role: Role
    text: str
    at: float | None = None  # seconds since the conversation began, when the export has times


@dataclass(frozen=True)
class Conversation:
    """A conversation with its agent, team and channel when the export names them."""

    id: str
    turns: tuple[Turn, ...]
    agent: str | None = None
    team: str | None = None
    channel: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. the annotators' scores of a test set


@dataclass(frozen=True)
class StoredConversation:
    """A conversation as the store keeps it: redacted turns, where it happened and its QA reading
    (what `carlzon qa report` and the report's coaching section read)."""

    source: str
    external_id: str
    agent: str | None
    team: str | None
    channel: str
    location: str | None
    started_at: datetime | None
    turns: tuple[Turn, ...]
    score: float
    steps: tuple[str, ...]
    missing: tuple[str, ...]
    behaviours: tuple[str, ...]
    reasons: tuple[str, ...]
    solved: bool
    communication: dict[str, Any] = field(default_factory=dict)
    appearance: str | None = None
