"""Acceptance on real data: US airline tweets, airlines as brands, the airline journey's touchpoints."""

from __future__ import annotations

import re

import pytest

from carlzon.analysis.service import analyse_journey
from carlzon.ingest.mapping import Mapping
from carlzon.ingest.service import import_source
from carlzon.journeys import load_template
from carlzon.mot.service import analyse_moments
from carlzon.storage import Store
from tests.conftest import dataset


@pytest.mark.slow
def test_virgin_america_differs_from_the_other_airlines_with_significance(sqlite_store: Store) -> None:
    path = dataset("twitter_us_airline_sentiment", "train")
    sqlite_store.save_journey(load_template("airline"))
    report = import_source(
        path, store=sqlite_store, mapping=Mapping(columns={"brand": "airline", "id": "tweet_id"}, channel="social")
    )
    assert report.imported > 10_000 and report.balanced
    analyse_journey(store=sqlite_store, journey_id="airline")
    moments = analyse_moments(store=sqlite_store, journey_id="airline", brand="Virgin America")
    assert moments.brands[0] == "United"  # the brand with most tweets is not the one asked for
    gaps = [
        (m.touchpoint_id, reason)
        for m in moments.ranking.moments
        for reason in m.reasons
        if re.match(
            r"(better|worse) than (United|US Airways|American|Southwest|Delta) by [0-9.]+ sentiment points \(p = ",
            reason,
        )
    ]
    assert len({tp for tp, _ in gaps}) >= 2, gaps
    for _, reason in gaps:
        assert float(reason.rsplit("p = ", 1)[1].rstrip(")")) < 0.05
    crew = next(m for m in moments.ranking.all() if m.touchpoint_id == "crew")
    assert sum(1 for gap, p in crew.gaps.values() if gap > 0 and p < 0.05) >= 3  # Virgin's crew stands out
