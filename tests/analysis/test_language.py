from __future__ import annotations

import pytest

from carlzon.analysis.clauses import split_clauses, weighted_clauses
from carlzon.analysis.language import detect_language, normalise
from carlzon.text import to_simplified


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("排队等了一个小时", "zh-Hans"),
        ("排隊等了一個小時，服務員態度很差", "zh-Hant"),
        ("The crew was amazing", "en"),
        ("ＴＨＥ ＦＯＯＤ", "en"),
        ("😀👍", "other"),
        ("等了 30 mins 才上菜", "zh-Hans"),
        ("料理がとても美味しかった", "other"),  # Japanese: Han characters, but kana too
        ("맛있어요", "other"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_normalise_keeps_meaning_and_unifies_script_and_width() -> None:
    assert normalise("  服務員態度很差！ＯＫ ") == "服务员态度很差!ok"
    assert to_simplified("軟體") == "软件"


def test_clauses_split_on_punctuation_and_contrast() -> None:
    assert split_clauses("菜很好吃，但是上菜太慢。The food was great but service was slow!") == [
        "菜很好吃",
        "上菜太慢",
        "The food was great",
        "service was slow",
    ]


def test_html_entities_neither_split_clauses_nor_become_words() -> None:
    # Tweets arrive as "&amp;": its ";" used to end a clause and "amp" to be read as a word.
    assert split_clauses("Delayed 3 hrs &amp; no gate agent. Rude staff") == [
        "Delayed 3 hrs & no gate agent",
        "Rude staff",
    ]
    assert normalise("Food &amp; drinks &lt;3") == "food & drinks <3"
    assert normalise("R&D; AT&T") == "r&d; at&t"  # no entity, nothing changes


def test_clauses_are_decoded_once() -> None:
    """A tweet that writes "&amp;lt;" means the characters "&lt;": its normalised clauses keep them."""
    from carlzon.analysis.sentiment.scorer import _normalised_clauses

    for text, expected in (
        ("Wrote &amp;lt;3 to them. No reply", ["wrote &lt", "3 to them", "no reply"]),
        ("a &amp;amp; b, c", ["a &amp", "b", "c"]),
    ):
        assert _normalised_clauses(text, normalise(text), weighted_clauses(text)) == expected
