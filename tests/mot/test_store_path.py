"""The store's aggregates give the same moments of truth as the frame-based functions, on both databases."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from carlzon.analysis.points import stored_points, top_points
from carlzon.analysis.service import analyse_journey
from carlzon.demo.generate import OWN_BRAND, generate_example_feedback
from carlzon.errors import InputError
from carlzon.ingest import Channel, FeedbackRecord
from carlzon.journeys import load_template
from carlzon.metrics.journey_map import build_journey_map, journey_trend, mention_stats, trend_from_daily
from carlzon.mot.drivers import analyse_drivers
from carlzon.mot.improvements import add_improvement
from carlzon.mot.prioritise import rank_moments
from carlzon.mot.service import analyse_moments
from carlzon.storage import Store


@pytest.fixture
def analysed(store: Store) -> Store:
    store.save_journey(load_template("catering"))
    rows = generate_example_feedback(1200)
    store.add_feedback(
        [
            FeedbackRecord(
                source="demo",
                external_id=r.id,
                channel=Channel(r.channel),
                brand=r.brand,
                text=r.text,
                nps=r.nps,
                location=r.store,
                created_at=r.created_at,
            )
            for r in rows
        ]
    )
    analyse_journey(store=store, journey_id="catering")
    return store


def test_aggregates_match_the_frame_computation(analysed: Store) -> None:
    moments = analyse_moments(store=analysed, journey_id="catering", brand=OWN_BRAND)
    mentions = analysed.mentions_frame("catering")
    journey = load_template("catering")
    frame_map = build_journey_map(journey, mentions, records=moments.records, brand=OWN_BRAND)
    numbers = [c for c in frame_map.table.columns if frame_map.table[c].dtype.kind == "f"]
    pd.testing.assert_frame_equal(moments.journey_map.table[numbers], frame_map.table[numbers], rtol=1e-9)
    assert (moments.journey_map.peak, moments.journey_map.trough) == (frame_map.peak, frame_map.trough)
    table = frame_map.table[frame_map.table["mentions"] > 0]
    performance = dict(zip(table["touchpoint_id"], table["sentiment"], strict=True))
    own = mentions[mentions["brand"] == OWN_BRAND]
    drivers = analyse_drivers(own, list(performance), performance)
    assert moments.drivers is not None
    assert [(d.name, round(d.weight, 12)) for d in moments.drivers.drivers] == [
        (d.name, round(d.weight, 12)) for d in drivers.drivers
    ]
    ranking = rank_moments(frame_map, mention_stats(mentions), brand=OWN_BRAND, drivers=drivers, topics=moments.topics)
    assert [(m.touchpoint_id, m.priority, m.reasons) for m in ranking.all()] == [
        (m.touchpoint_id, m.priority, m.reasons) for m in moments.ranking.all()
    ]
    for kind in ("pain", "delight"):
        stored = stored_points(store=analysed, journey_id="catering", brand=OWN_BRAND, kind=kind)
        framed = top_points(own, kind=kind)
        assert [(p.touchpoint_id, p.phrase, p.count, p.example) for p in stored] == [
            (p.touchpoint_id, p.phrase, p.count, p.example) for p in framed
        ]
    daily = trend_from_daily(analysed.daily_mentions("catering", OWN_BRAND))
    weekly = journey_trend(mentions, brand=OWN_BRAND)
    assert daily["mentions"].tolist() == weekly["mentions"].tolist()
    assert daily["sentiment"].round(9).tolist() == weekly["sentiment"].round(9).tolist()
    text = json.dumps(moments.to_dict(), ensure_ascii=False, allow_nan=False)  # plain JSON: NaN is null
    assert json.loads(text)["ranking"]["brand"] == OWN_BRAND


def test_an_improvement_is_checked_by_the_service(analysed: Store) -> None:
    with pytest.raises(InputError, match="no touchpoint 'teleport'"):
        add_improvement(
            store=analysed,
            journey_id="catering",
            touchpoint_id="teleport",
            started_on="2026-10-10",
            description="x",
            brand="b",
        )
    with pytest.raises(InputError, match="'yesterday' is not a date"):
        add_improvement(
            store=analysed,
            journey_id="catering",
            touchpoint_id="taste",
            started_on="yesterday",
            description="x",
            brand="b",
        )
    with pytest.raises(InputError, match="cost"):
        add_improvement(
            store=analysed,
            journey_id="catering",
            touchpoint_id="taste",
            started_on="2026-10-10",
            description="x",
            brand="b",
            cost=-1,
        )
    saved = add_improvement(
        store=analysed,
        journey_id="catering",
        touchpoint_id="taste",
        started_on="2026-10-10",
        description="New chef",
        brand="b",
    )
    assert saved.id is not None and saved.started_on.utcoffset().total_seconds() == 0
    assert not math.isnan(saved.started_on.timestamp())


def test_running_totals_equal_a_fresh_count_after_every_kind_of_run(analysed: Store) -> None:
    from carlzon.analysis.sentiment.cues import NEUTRAL_BAND
    from carlzon.storage.totals import NEGATIVE_BELOW, POSITIVE_ABOVE

    assert (NEGATIVE_BELOW, POSITIVE_ABOVE) == (-NEUTRAL_BAND, NEUTRAL_BAND)

    def check() -> None:
        mentions = analysed.mentions_frame("catering")
        fresh = mention_stats(mentions).sort_values(["touchpoint_id", "brand"]).reset_index(drop=True)
        kept = analysed.mention_stats("catering").sort_values(["touchpoint_id", "brand"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(kept, fresh, check_dtype=False, rtol=1e-12)
        counts = analysed.analysis_frame("catering")["brand"].value_counts().to_dict()
        assert analysed.analysed_by_brand("catering") == counts

    check()
    analysed.add_feedback(
        [
            FeedbackRecord(source="more", external_id=str(i), channel=Channel.SURVEY, brand=OWN_BRAND, text=t, nps=3)
            for i, t in enumerate(["上菜太慢了", "服务员很热情", "The bill was wrong"])
        ]
    )
    analyse_journey(store=analysed, journey_id="catering")  # incremental: adds
    check()
    analyse_journey(store=analysed, journey_id="catering", redo_all=True)  # redo: replaces
    check()


def test_topics_are_kept_by_each_run_and_found_again_when_the_data_has_grown(analysed: Store) -> None:
    from carlzon.analysis.topics import find_topics, topics_of

    first = analysed.last_finished_run_id("catering")
    run_id, version, records, topics = analysed.kept_topics("catering", OWN_BRAND)
    assert run_id == first and records == analysed.analysed_by_brand("catering")[OWN_BRAND]
    found = [t.to_dict() for t in find_topics(store=analysed, journey_id="catering", brand=OWN_BRAND)]
    assert topics == json.loads(json.dumps(found))  # what the run kept is what finding them gives
    analysed.add_feedback(
        [FeedbackRecord(source="more", external_id="x", channel=Channel.SURVEY, brand=OWN_BRAND, text="太差了")]
    )
    second = analyse_journey(store=analysed, journey_id="catering")
    kept = analysed.kept_topics("catering", OWN_BRAND)
    assert (kept[0], kept[1], kept[2]) == (second.run_id, version, records)  # one more record: the topics stand
    assert [t.to_dict() for t in topics_of(store=analysed, journey_id="catering", brand=OWN_BRAND)] == topics
    redone = analyse_journey(store=analysed, journey_id="catering", redo_all=True)
    assert analysed.kept_topics("catering", OWN_BRAND)[:3] == (redone.run_id, version, records + 1)
