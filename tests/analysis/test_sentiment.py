from __future__ import annotations

import numpy as np
import pytest

from carlzon.analysis.language import normalise
from carlzon.analysis.sentiment.scorer import LexiconSentiment


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


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("不是很好", "zh", "negative"),  # negation before a degree word
        ("不新鲜", "zh", "negative"),
        ("not bad at all", "en", "positive"),
        ("not friendly", "en", "negative"),
    ],
)
def test_negation(scorer: LexiconSentiment, text: str, lang: str, label: str) -> None:
    assert scorer.analyse(normalise(text), lang).label == label


def test_degree_words_scale_a_cue(scorer: LexiconSentiment) -> None:
    weak, strong = scorer.score("有点慢", "zh"), scorer.score("特别慢", "zh")
    assert strong < weak < 0


def test_contrast_and_concession_weigh_the_conclusion(scorer: LexiconSentiment) -> None:
    from carlzon.analysis.clauses import weighted_clauses

    assert weighted_clauses("虽然有点贵，但是非常好吃") == [("虽然有点贵", 0.5), ("非常好吃", 2.0)]
    assert weighted_clauses("The food was great but service was slow.") == [
        ("The food was great", 1.0),
        ("service was slow", 2.0),
    ]
    praise, blame = scorer.score_texts(["价格贵了点，但是非常好吃", "菜很好吃，但是上菜太慢了"], ["zh-Hans"] * 2).scores
    assert praise > 0 > blame


def test_workers_give_the_same_scores_as_one_process() -> None:
    from carlzon.analysis.sentiment import scorer as scoring

    texts = [
        f"第{i}次来，菜很好吃，但是上菜太慢了" if i % 2 else f"visit {i}: the crew was amazing!!" for i in range(2400)
    ]
    langs = ["zh-Hans" if i % 2 else "en" for i in range(2400)]
    assert len(texts) >= scoring.PARALLEL_MIN
    one = LexiconSentiment(workers=1).score_texts(texts, langs)
    two = LexiconSentiment(workers=2).score_texts(texts, langs)
    np.testing.assert_array_equal(one.scores, two.scores)
    assert one.clauses == two.clauses


@pytest.mark.parametrize(
    "text",
    [
        "@united january 15th.",  # VADER reads the handle "united" as a positive word
        "@jetblue yep it's for tomorrow.",  # "yep" transacts, it does not feel
        "can you please help me with my booking",
        "i would like to change my confirmation number",  # "like", "number": requests, not feelings
    ],
)
def test_addresses_and_transactional_words_are_not_feelings(scorer: LexiconSentiment, text: str) -> None:
    assert scorer.analyse(normalise(text), "en").label == "neutral"


@pytest.mark.parametrize(
    "text",
    [
        "3 hrs on hold",  # a stated duration is one endured
        "flight delay again",
        "bags never made the plane",
        "i can't get through to anyone",
    ],
)
def test_service_failures_read_negative_without_a_feeling_word(scorer: LexiconSentiment, text: str) -> None:
    assert scorer.analyse(normalise(text), "en").label == "negative"


def test_a_clause_that_says_nothing_does_not_dilute_one_that_does(scorer: LexiconSentiment) -> None:
    text = "@USAirways 3 hrs on hold. Husband has decided we should sleep in shifts. So we wait"
    assert scorer.score_texts([text], ["en"]).scores[0] < -0.2
    # …unless it concludes a contrast: "but I can't…" keeps its weight
    flat = scorer.score_texts(["I tried to book another flight and apply my credits but I had no luck"], ["en"])
    assert flat.scores[0] <= 0.2
