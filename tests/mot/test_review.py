"""The before/after review says plainly whether a change worked — both ways."""

from __future__ import annotations

from carlzon.mot.models import Improvement
from carlzon.mot.review import review_improvement
from tests.mot.synthetic import OWN, review_mentions

IMPROVEMENT = Improvement(
    journey_id="catering",
    touchpoint_id="serving_time",
    brand=OWN,
    started_on="2026-10-01T00:00:00+00:00",
    description="Kitchen display",
    locations=["S1"],
)


def test_a_real_improvement_is_found() -> None:
    result = review_improvement(review_mentions(effect=0.5), IMPROVEMENT)
    assert result.worked
    assert result.summary.startswith("It worked")
    assert result.control == "same touchpoint, other locations"


def test_no_effect_is_not_called_a_success() -> None:
    result = review_improvement(review_mentions(effect=0.0), IMPROVEMENT)
    assert not result.worked
    assert result.summary.startswith("It did not work")


def test_a_season_that_lifted_every_store_is_not_credited_to_the_change() -> None:
    result = review_improvement(review_mentions(effect=0.0, season=0.4), IMPROVEMENT)
    negative = result.comparisons[0]
    assert negative.change < 0 and negative.p_value < 0.05  # things did get better at S1...
    assert not result.worked  # ...but no more than at the control stores
    assert result.summary.startswith("Not proven")
