"""Metric trees and funnels: exact values, the weakest link, and errors that name the problem."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from carlzon.errors import InputError
from carlzon.metrics.tree import evaluate_tree, load_tree

TREE = {
    "goal": "revenue",
    "metrics": {
        "revenue": {"children": ["visits", "conversion", "ticket"]},
        "visits": {"target": 100, "touchpoints": ["word_of_mouth"]},
        "conversion": {"target": 0.5, "touchpoints": ["queue"]},
        "ticket": {"target": 80},
    },
}


def test_product_tree_gap_splits_into_its_links() -> None:
    daily = pd.DataFrame({"date": ["d1", "d2"], "visits": [100, 120], "conversion": [0.3, 0.3], "ticket": [80, 80]})
    result = evaluate_tree(TREE, daily)
    assert result.goal_actual == pytest.approx(110 * 0.3 * 80)
    assert result.goal_target == pytest.approx(100 * 0.5 * 80)
    assert result.weakest.name == "conversion" and result.weakest.touchpoints == ["queue"]
    total = sum(link.contribution for link in result.links)
    assert total == pytest.approx(math.log(result.goal_actual / result.goal_target))


def test_funnel_rates_use_sums_and_halves_show_the_trend() -> None:
    definition = {"goal": "bought", "funnel": ["came", "tried", "bought"], "targets": {"tried": 0.5, "bought": 0.5}}
    daily = pd.DataFrame(
        {
            "date": ["1", "2", "3", "4"],
            "came": [100, 100, 100, 100],
            "tried": [50, 50, 60, 60],
            "bought": [10, 10, 30, 30],
        }
    )
    result = evaluate_tree(definition, daily)
    tried, bought = result.links
    assert tried.actual == pytest.approx(220 / 400)
    assert bought.actual == pytest.approx(80 / 220)
    assert (bought.first_half, bought.second_half) == pytest.approx((0.2, 0.5))
    assert result.weakest.name == "bought"


def test_lower_is_better_links_are_inverted() -> None:
    definition = {
        "goal": "g",
        "metrics": {
            "g": {"children": ["wait", "spend"]},
            "wait": {"target": 10, "lower_is_better": True},
            "spend": {"target": 50},
        },
    }
    daily = pd.DataFrame({"date": ["1"], "wait": [20], "spend": [50]})
    result = evaluate_tree(definition, daily)
    assert result.weakest.name == "wait" and result.weakest.ratio == pytest.approx(0.5)


def test_errors_name_the_file_and_the_missing_piece(tmp_path: Path) -> None:
    bad = tmp_path / "tree.yaml"
    bad.write_text("goal: x\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs 'goal' and either 'metrics'"):
        load_tree(bad)
    with pytest.raises(InputError, match="no column 'ticket'"):
        evaluate_tree(TREE, pd.DataFrame({"date": ["1"], "visits": [1], "conversion": [1]}))
