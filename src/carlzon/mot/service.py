"""One call from the store to the moments of truth of a brand: journey map, drivers, ranking, reviews.

The CLI commands, the report and the web API all use it, so they always show the same numbers.
Everything is read as aggregates or bounded samples (storage/aggregates.py): the journey map and
the Welch tests from per-touchpoint sums, the key drivers from at most MAX_RECORDS answered
records, emerging topics from at most MAX_TOPIC_TEXTS negative texts — never the whole mentions
table, so the time and memory do not grow with the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from carlzon.analysis.topics import Topic, topics_of
from carlzon.errors import AnalysisError
from carlzon.journeys.models import Journey
from carlzon.metrics.journey_map import JourneyMap, journey_map_from_stats
from carlzon.mot.drivers import MAX_RECORDS, DriverAnalysis, driver_matrix, drivers_from_matrix, sample_rows
from carlzon.mot.prioritise import MotRanking, MotWeights, rank_moments
from carlzon.storage.store import Store


@dataclass(frozen=True)
class BrandMoments:
    """Everything about one brand's moments of truth on one journey."""

    journey: Journey
    brand: str
    brands: list[str]
    records: int
    stats: pd.DataFrame  # per touchpoint and brand: counts and sums of the mentions (mention_stats)
    journey_map: JourneyMap
    drivers: DriverAnalysis | None
    drivers_note: str
    ranking: MotRanking
    topics: list[Topic]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape the web API serves for a brand's moments."""
        return {
            "journey_id": self.journey.id,
            "brand": self.brand,
            "brands": self.brands,
            "records": self.records,
            "journey_map": self.journey_map.to_dict(),
            "drivers": self.drivers.to_dict() if self.drivers is not None else None,
            "drivers_note": self.drivers_note,
            "ranking": self.ranking.to_dict(),
            "topics": [topic.to_dict() for topic in self.topics],
        }


@dataclass(frozen=True)
class BrandMap:
    """A brand's journey map alone: what a dashboard redraws often, from the running totals only
    (no driver model, no ranking)."""

    journey: Journey
    brand: str
    brands: list[str]
    records: int
    journey_map: JourneyMap

    def to_dict(self) -> dict[str, Any]:
        return self.journey_map.to_dict() | {"brand": self.brand, "brands": self.brands}


def map_journey(*, store: Store, journey_id: str, brand: str | None = None) -> BrandMap:
    """The journey map of ``brand`` (default: the brand with most feedback)."""
    journey, brands, chosen, counts, stats = _brand_stats(store, journey_id, brand)
    journey_map = journey_map_from_stats(journey, stats, records=counts[chosen], brand=chosen)
    return BrandMap(journey, chosen, brands, counts[chosen], journey_map)


def _brand_stats(
    store: Store, journey_id: str, brand: str | None
) -> tuple[Journey, list[str], str, dict[str, int], pd.DataFrame]:
    journey = store.get_journey(journey_id)
    counts = store.analysed_by_brand(journey_id)
    if not counts:
        raise AnalysisError(
            f"journey '{journey_id}' has no analysed feedback; run: carlzon analyze --journey {journey_id}"
        )
    brands = list(counts)
    chosen = brand or brands[0]
    if chosen not in counts:
        raise AnalysisError(f"no feedback for brand {chosen!r}; brands with feedback: {', '.join(brands)}")
    return journey, brands, chosen, counts, store.mention_stats(journey_id)


def analyse_moments(
    *, store: Store, journey_id: str, brand: str | None = None, weights: MotWeights | None = None
) -> BrandMoments:
    """Journey map, key drivers and MOT ranking for ``brand`` (default: the brand with most feedback)."""
    journey, brands, chosen, counts, stats = _brand_stats(store, journey_id, brand)
    journey_map = journey_map_from_stats(journey, stats, records=counts[chosen], brand=chosen)
    table = journey_map.table[journey_map.table["mentions"] > 0]
    performance = dict(zip(table["touchpoint_id"], table["sentiment"], strict=True))
    try:
        drivers, note = stored_drivers(store=store, journey_id=journey_id, brand=chosen, performance=performance), ""
    except AnalysisError as exc:
        drivers, note = None, str(exc)
    topics = topics_of(store=store, journey_id=journey_id, brand=chosen)
    ranking = rank_moments(journey_map, stats, brand=chosen, weights=weights, drivers=drivers, topics=topics)
    return BrandMoments(journey, chosen, brands, counts[chosen], stats, journey_map, drivers, note, ranking, topics)


def stored_drivers(
    *, store: Store, journey_id: str, brand: str, performance: dict[str, float], seed: int = 0
) -> DriverAnalysis:
    """The key drivers of NPS among the brand's answered records: the same sample of rows (and so the
    same figures) as mot.drivers.analyse_drivers on the whole mentions frame, reading only those rows."""
    touchpoints = list(performance)
    ids = store.answered_ids(journey_id, brand)
    if not ids:
        raise AnalysisError("no feedback with an NPS answer mentions a touchpoint; import survey data with scores")
    rng = np.random.default_rng(seed)
    pick = sample_rows(len(ids), MAX_RECORDS, rng)
    chosen = np.asarray(ids) if pick is None else np.asarray(ids)[pick]
    x, y = driver_matrix(store.driver_rows(journey_id, sorted(chosen.tolist())), touchpoints)
    order = np.searchsorted(np.sort(chosen), chosen)  # the matrix comes sorted by id; the sample's order counts
    return drivers_from_matrix(x[order], y[order], touchpoints, performance, rng=rng)
