"""Zero-shot touchpoint evaluation with label maps: metrics by hand, errors, and SemEval on real data."""

from __future__ import annotations

from pathlib import Path

import pytest

from carlzon.analysis.training.evaluate import evaluate_touchpoints_zero_shot, set_metrics
from carlzon.analysis.training.labelled import load_label_map
from carlzon.errors import InputError
from carlzon.journeys import load_template
from tests.conftest import dataset

ROOT = Path(__file__).resolve().parents[2]


def test_set_metrics_by_hand() -> None:
    report = set_metrics([{"a"}, {"a", "b"}, {"b"}], [{"a"}, {"a"}, {"a", "b"}])
    # a: tp 2, fp 1, fn 0 -> f1 0.8; b: tp 1, fp 0, fn 1 -> f1 0.6667; micro: tp 3, fp 1, fn 1 -> 0.75
    assert report["micro_f1"] == pytest.approx(0.75)
    assert report["macro_f1"] == pytest.approx((0.8 + 0.6667) / 2, abs=1e-4)
    assert report["accuracy"] == pytest.approx(1 / 3, abs=1e-4)


def test_single_label_and_errors(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text(
        "text,reason\nwe waited two hours for the food,slow\nthe waiter was rude,staff\nok,other\n", encoding="utf-8"
    )
    journey = load_template("catering")
    mapping = {"slow": "serving_time", "staff": "service_attitude", "other": None}
    report = evaluate_touchpoints_zero_shot(
        data, journey=journey, label_map=mapping, text_column="text", label_column="reason"
    )
    assert report["n"] == 2 and report["accuracy"] == 1.0
    with pytest.raises(InputError, match=r"no entry for label\(s\) \['other'\]"):
        evaluate_touchpoints_zero_shot(
            data,
            journey=journey,
            label_map={"slow": "serving_time", "staff": None},
            text_column="text",
            label_column="reason",
        )
    with pytest.raises(InputError, match="is not a touchpoint of journey 'catering'"):
        evaluate_touchpoints_zero_shot(
            data, journey=journey, label_map={**mapping, "slow": "teleport"}, text_column="text", label_column="reason"
        )


def _zero_shot_on(name: str, journey: str, label_map: str, label_column: str, group_column: str | None = None) -> dict:  # type: ignore[type-arg]
    """The journey's keyword tagger measured on a shared dataset's test split through its label map."""
    return evaluate_touchpoints_zero_shot(
        dataset(name),
        journey=load_template(journey),
        label_map=load_label_map(ROOT / "examples/label_maps" / label_map),
        text_column="text",
        label_column=label_column,
        group_column=group_column,
    )


@pytest.mark.slow
def test_semeval_restaurant_aspects_zero_shot_reach_the_target() -> None:
    report = _zero_shot_on(
        "semeval2014_restaurants_acsa", "catering", "semeval_restaurant_aspects.yaml", "aspect", "sentence_id"
    )
    assert report["micro_f1"] >= 0.70  # the zero-shot target (measured 0.744)


def test_a_text_counts_for_the_touchpoint_it_names_most_then_first(tmp_path: Path) -> None:
    """Each keyword occurrence counts; of equals the one named first wins (not the alphabet's last)."""
    data = tmp_path / "d.csv"
    data.write_text(
        "text,reason\n"
        "nobody answers the phone and my bag is lost; the bag tag says Denver,bags\n"
        "my bag is lost and nobody answers the phone,bags\n"
        "nobody answers the phone and my bag is lost,service\n",
        encoding="utf-8",
    )
    report = evaluate_touchpoints_zero_shot(
        data,
        journey=load_template("airline"),
        label_map={"bags": "baggage", "service": "customer_service"},
        text_column="text",
        label_column="reason",
    )
    assert report["n"] == 3 and report["accuracy"] == 1.0, report


@pytest.mark.slow
def test_airline_negative_reasons_zero_shot() -> None:
    report = _zero_shot_on("twitter_us_airline_sentiment", "airline", "airline_negativereason.yaml", "negativereason")
    # measured 0.491 (0.449 when ties between touchpoints went to the alphabet's last, 0.471 before the
    # keywords of 2026-11-24's evening); target 0.50, not reached
    assert report["macro_f1"] >= 0.48
