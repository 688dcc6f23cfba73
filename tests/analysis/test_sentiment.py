from __future__ import annotations

import pytest

from carlzon.analysis.language import normalise
from carlzon.analysis.scorer import LexiconSentiment


@pytest.fixture(scope="module")
def scorer() -> LexiconSentiment:
    return LexiconSentiment()


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("等了四十分钟才上菜，太慢了", "zh", "negative"),
        ("服务员态度很热情", "zh", "positive"),
        ("菜上得特别慢", "zh", "negative"),  # 特别 is not a negator
        ("不好吃", "zh", "negative"),
        ("the staff were not friendly", "en", "negative"),
        ("we waited forty minutes for our food", "en", "negative"),
        ("the food came out quickly", "en", "positive"),
        ("we ordered two dishes", "en", "neutral"),
    ],
)
def test_clause_labels(scorer: LexiconSentiment, text: str, lang: str, label: str) -> None:
    assert scorer.analyse(normalise(text), lang).label == label


def test_scores_stay_in_range_and_surprise_is_an_emotion(scorer: LexiconSentiment) -> None:
    result = scorer.analyse(normalise("临走送了小礼物，很惊喜"), "zh")
    assert -1 <= result.score <= 1
    assert result.emotion == "surprised"


def test_emoji_and_repeated_marks_are_signals(scorer: LexiconSentiment) -> None:
    assert scorer.analyse("ok 👍", "en").label == "positive"
    assert scorer.analyse("外卖到了😡😡", "zh").label == "negative"
    plain, loud = scorer.score("the food was cold", "en"), scorer.score("the food was cold!!!", "en")
    assert loud < plain < 0
