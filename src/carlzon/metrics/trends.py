"""Score trends the overview draws: NPS and CSAT per week, counted by the database."""

from __future__ import annotations

from typing import Any

from carlzon.metrics.scores import weekly_scores
from carlzon.storage.store import Store


def weekly_score_trend(*, store: Store, brand: str | None = None) -> list[dict[str, Any]]:
    """NPS (with its 95 % interval) and CSAT top-2-box per week, of ``brand`` (None: every brand)."""
    return weekly_scores(store.daily_scores(brand))
