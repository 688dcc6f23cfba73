"""One call from the store to the moments of truth of a brand: journey map, drivers, ranking, reviews.

The CLI commands and the report both use it, so they always show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from carlzon.analysis.topics import Topic, discover_topics, untagged_negative
from carlzon.errors import AnalysisError
from carlzon.journeys.models import Journey
from carlzon.metrics.journey_map import JourneyMap, build_journey_map
from carlzon.mot.drivers import DriverAnalysis, analyse_drivers
from carlzon.mot.prioritise import MotRanking, MotWeights, rank_moments
from carlzon.mot.review import ReviewResult, review_improvement
from carlzon.storage.store import Store


@dataclass(frozen=True)
class BrandMoments:
    """Everything about one brand's moments of truth on one journey."""

    journey: Journey
    brand: str
    brands: list[str]
    records: int
    mentions: pd.DataFrame
    journey_map: JourneyMap
    drivers: DriverAnalysis | None
    drivers_note: str
    ranking: MotRanking
    topics: list[Topic]


def analyse_moments(
    *, store: Store, journey_id: str, brand: str | None = None, weights: MotWeights | None = None
) -> BrandMoments:
    """Journey map, key drivers and MOT ranking for ``brand`` (default: the brand with most feedback)."""
    journey = store.get_journey(journey_id)
    results = store.analysis_frame(journey_id)
    if results.empty:
        raise AnalysisError(
            f"journey '{journey_id}' has no analysed feedback; run: carlzon analyze --journey {journey_id}"
        )
    brands = results["brand"].value_counts().index.tolist()
    chosen = brand or brands[0]
    if chosen not in brands:
        raise AnalysisError(f"no feedback for brand {chosen!r}; brands with feedback: {', '.join(brands)}")
    mentions = store.mentions_frame(journey_id)
    records = int((results["brand"] == chosen).sum())
    journey_map = build_journey_map(journey, mentions, records=records, brand=chosen)
    own = mentions[mentions["brand"] == chosen]
    table = journey_map.table[journey_map.table["mentions"] > 0]
    performance = dict(zip(table["touchpoint_id"], table["sentiment"], strict=True))
    try:
        drivers, note = analyse_drivers(own, list(performance), performance), ""
    except AnalysisError as exc:
        drivers, note = None, str(exc)
    topics = discover_topics(untagged_negative(results, mentions, brand=chosen))
    ranking = rank_moments(journey_map, mentions, brand=chosen, weights=weights, drivers=drivers, topics=topics)
    return BrandMoments(journey, chosen, brands, records, mentions, journey_map, drivers, note, ranking, topics)


def review_all(*, store: Store, journey_id: str, brand: str | None = None) -> list[ReviewResult]:
    """The before/after verdict of every improvement recorded on a journey (for one brand if given)."""
    mentions = store.mentions_frame(journey_id)
    return [
        review_improvement(mentions, improvement)
        for improvement in store.list_improvements(journey_id)
        if brand is None or improvement.brand == brand
    ]
