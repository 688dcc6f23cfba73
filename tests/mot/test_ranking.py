"""The ranking finds what was planted, for the right reasons."""

from __future__ import annotations

from carlzon.journeys import load_template
from carlzon.metrics.journey_map import build_journey_map, mention_stats
from carlzon.mot.drivers import analyse_drivers
from carlzon.mot.prioritise import MAX_MOMENTS, rank_moments
from tests.mot.synthetic import OWN, RIVAL, planted_mentions


def _ranking():
    mentions = planted_mentions()
    journey = load_template("catering")
    journey_map = build_journey_map(journey, mentions, records=3000, brand=OWN)
    own = mentions[mentions["brand"] == OWN]
    performance = dict(zip(journey_map.table["touchpoint_id"], journey_map.table["sentiment"], strict=True))
    drivers = analyse_drivers(own, list(performance), performance)
    return journey_map, drivers, rank_moments(journey_map, mention_stats(mentions), brand=OWN, drivers=drivers)


def test_planted_trough_differentiator_and_driver_rank_top_three() -> None:
    journey_map, drivers, ranking = _ranking()
    top = {m.touchpoint_id: m for m in ranking.moments[:3]}
    assert set(top) == {"queue", "hygiene", "payment"}
    assert any(r.startswith("easily becomes a trough") for r in top["queue"].reasons)
    assert any(r.startswith(f"worse than {RIVAL}") for r in top["hygiene"].reasons)
    assert any(r.startswith("drives loyalty") for r in top["payment"].reasons)
    assert journey_map.trough == "queue"
    assert drivers.drivers[0].name == "payment" and drivers.drivers[0].quadrant in ("fix first", "keep up")


def test_funnel_keeps_at_most_ten_and_says_why_the_rest_were_cut() -> None:
    _, _, ranking = _ranking()
    assert ranking.candidates == 16
    assert len(ranking.moments) <= MAX_MOMENTS
    assert ranking.candidates == len(ranking.moments) + len(ranking.focused_only) + len(ranking.cut)
    assert all(m.cut_reason for m in [*ranking.focused_only, *ranking.cut])
    assert [m.rank for m in ranking.all()] == list(range(1, 17))
