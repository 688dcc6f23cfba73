"""Pain and delight points: phrases grouped by the opinion they carry, with counts and a short verbatim."""

from __future__ import annotations

import pandas as pd

from carlzon.analysis.points import canonical_point, top_points


def test_phrases_with_the_same_opinion_words_are_one_point() -> None:
    assert canonical_point("等了四十分钟才上菜") == canonical_point("等了半小時才上菜") == "等了"
    assert canonical_point("the crew was not friendly") == "not friendly"
    assert canonical_point("菜不新鲜") == "不新鲜"
    assert canonical_point("我们点了两个菜。") == "我们点了两个菜"  # no opinion word: the phrase itself


def test_top_points_count_and_pick_the_shortest_example() -> None:
    mentions = pd.DataFrame(
        {
            "touchpoint_id": ["serving_time", "serving_time", "serving_time", "taste", "taste"],
            "sentiment": [-0.8, -0.6, -0.7, 0.9, -0.5],
            "phrase": ["等了四十分钟才上菜，服务员也不管", "等了半小时才上菜", "上菜太慢", "菜很好吃", "菜不新鲜"],
        }
    )
    pain = top_points(mentions, kind="pain")
    assert (pain[0].touchpoint_id, pain[0].phrase, pain[0].count) == ("serving_time", "等了", 2)
    assert pain[0].example == "等了半小时才上菜"
    assert {p.phrase for p in pain} == {"等了", "慢", "不新鲜"}
    delight = top_points(mentions, kind="delight")
    assert [(p.touchpoint_id, p.phrase, p.count) for p in delight] == [("taste", "好吃", 1)]
