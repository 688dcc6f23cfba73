"""What a service conversation is: turns of a customer and an agent, in order."""

from __future__ import annotations

from dataclasses import dataclass, field
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
