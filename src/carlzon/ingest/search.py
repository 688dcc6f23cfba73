"""The feedback explorer: stored feedback filtered by words, channel, brand, store, touchpoint,
sentiment and dates, newest first, a page at a time. Texts are stored redacted, so what is shown
is too; a department member sees only the feedback behind their department's tasks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from carlzon.accounts.models import Principal
from carlzon.errors import InputError
from carlzon.storage.store import Store

MAX_PAGE = 200
LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class FeedbackFilter:
    """What to look for; every field is optional. ``words`` matches anywhere in the (redacted)
    text, in any script; ``touchpoint``, ``label`` need a ``journey`` (its analysis)."""

    words: str | None = None
    channel: str | None = None
    brand: str | None = None
    location: str | None = None
    journey: str | None = None
    touchpoint: str | None = None
    label: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class FeedbackHit:
    id: int
    created_at: datetime | None
    channel: str
    brand: str
    location: str | None
    text: str
    nps: int | None
    csat: int | None
    sentiment: float | None
    label: str | None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat() if self.created_at else None
        return data


@dataclass(frozen=True)
class FeedbackPage:
    data: list[FeedbackHit] = field(default_factory=list)
    next_before: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"data": [h.to_dict() for h in self.data], "count": len(self.data), "next_before": self.next_before}


def search_feedback(
    *, store: Store, principal: Principal, where: FeedbackFilter, before: int | None = None, limit: int = 50
) -> FeedbackPage:
    """A page of the feedback ``principal`` may see that matches ``where``, newest first;
    ``before``: the next_before of the page before (keyset: stable while feedback arrives)."""
    if not 1 <= limit <= MAX_PAGE:
        raise InputError(f"limit must be 1 to {MAX_PAGE}")
    if (where.touchpoint or where.label) and not where.journey:
        raise InputError("a touchpoint or sentiment filter needs the journey whose analysis it reads (journey=…)")
    if where.label is not None and where.label not in LABELS:
        raise InputError(f"label must be one of {', '.join(LABELS)}")
    if where.journey is not None:
        store.get_journey(where.journey)  # an unknown journey is a NotFoundError, not an empty page
    rows = store.search_feedback(
        words=(where.words or "").strip() or None,
        channel=where.channel,
        brand=where.brand,
        location=where.location,
        journey=where.journey,
        touchpoint=where.touchpoint,
        label=where.label,
        since=where.since,
        until=where.until,
        department=principal.department,
        before=before,
        limit=limit + 1,
    )
    hits = [FeedbackHit(**row) for row in rows[:limit]]
    return FeedbackPage(hits, hits[-1].id if len(rows) > limit and hits else None)


def feedback_detail(*, store: Store, principal: Principal, feedback_id: int, journey: str | None) -> dict[str, Any]:
    """One record with its analysis under ``journey``, if ``principal`` may see it (a member: only
    the feedback behind their department's tasks; anything else reads as not found)."""
    from carlzon.errors import NotFoundError

    if journey is not None:
        store.get_journey(journey)
    if principal.department is not None and not store.feedback_behind_tasks_of(feedback_id, principal.department):
        raise NotFoundError(f"no feedback {feedback_id} among what you may see")
    found = store.feedback_detail(feedback_id, journey)
    if found is None:
        raise NotFoundError(f"no feedback {feedback_id}")
    created = found["created_at"]
    return found | {"created_at": created.isoformat() if created else None}
