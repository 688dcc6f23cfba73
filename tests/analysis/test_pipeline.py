from __future__ import annotations

import pandas as pd
import pytest

from carlzon.analysis.engine import analyse_feedback
from carlzon.analysis.touchpoints.tagger import TouchpointTagger
from carlzon.errors import AnalysisError
from carlzon.journeys import load_template


def test_each_touchpoint_gets_the_sentiment_of_its_own_clause() -> None:
    frame = pd.DataFrame(
        {
            "feedback_id": [1, 2],
            "text": ["菜很好吃，但是上菜太慢了", "Our waiter was friendly. The bill took ages."],
        }
    )
    output = analyse_feedback(frame, load_template("catering"))
    assert len(output.results) == 2
    by_tp = {(m.feedback_id, m.touchpoint_id): m.sentiment for m in output.mentions.itertuples()}
    assert by_tp[(1, "taste")] > 0.2 > -0.2 > by_tp[(1, "serving_time")]
    assert by_tp[(2, "service_attitude")] > 0.2 > -0.2 > by_tp[(2, "payment")]


def test_a_trailing_opinion_clause_belongs_to_the_touchpoint_before_it() -> None:
    frame = pd.DataFrame({"feedback_id": [7], "text": ["排队等位一个多小时，太久了"]})
    mention = analyse_feedback(frame, load_template("catering")).mentions.iloc[0]
    assert mention.touchpoint_id == "queue"
    assert mention.phrase == "排队等位一个多小时，太久了"


def test_longest_term_wins() -> None:
    tagger = TouchpointTagger(load_template("catering"))
    assert tagger.tag("customer service never replied") == ["complaint_handling"]
    assert tagger.tag("the service was slow") == ["service_attitude"]
    assert tagger.tag("a billion reasons") == []  # "bill" only as a word


def test_words_run_together_in_a_hashtag_are_read() -> None:
    tagger = TouchpointTagger(load_template("airline"))
    assert tagger.tag("@united #lostluggage again #badcustomerservice") == ["baggage", "customer_service"]
    assert tagger.mentions("so #delayed") == [("delay_cancellation", 4)]  # the whole tag, found once
    assert tagger.mentions("#delays") == [("delay_cancellation", 1)]  # a plural of a term, once too
    assert tagger.tag("#happy #mapp") == []  # "app" (booking) is too short to trust inside a word
    assert tagger.tag("lostluggage") == []  # run-together words only inside a hashtag


def test_missing_columns_are_named() -> None:
    with pytest.raises(AnalysisError, match=r"\['feedback_id'\]"):
        analyse_feedback(pd.DataFrame({"text": ["x"]}), load_template("catering"))
