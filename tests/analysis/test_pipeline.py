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


def test_a_call_or_a_service_chat_is_a_contact_at_the_service_touchpoint() -> None:
    """Touchpoint.channels: what a caller says counts at complaint handling whatever it is about,
    beside the touchpoints it names; the same words in a review do not."""
    texts = ["菜是凉的，太失望了", "菜是凉的，太失望了", "The soup was cold and nobody came"]
    frame = pd.DataFrame({"feedback_id": [1, 2, 3], "text": texts, "channel": ["call_centre", "app_review", "chat"]})
    mentions = analyse_feedback(frame, load_template("catering")).mentions
    found = {fid: set(group["touchpoint_id"]) for fid, group in mentions.groupby("feedback_id")}
    assert "complaint_handling" in found[1] and "complaint_handling" in found[3]
    assert "complaint_handling" not in found.get(2, set())
    call = mentions[(mentions["feedback_id"] == 1) & (mentions["touchpoint_id"] == "complaint_handling")]
    assert float(call["sentiment"].iloc[0]) < 0  # the caller's words, not a neutral placeholder


def test_a_touchpoint_channel_must_be_a_channel_name() -> None:
    from pydantic import ValidationError

    from carlzon.journeys.models import Touchpoint

    with pytest.raises(ValidationError, match="is not a channel name"):
        Touchpoint.model_validate(
            {
                "id": "desk",
                "name": {"zh": "前台", "en": "Desk"},
                "owner": "Front office",
                "moment": "first",
                "keywords": {"zh_hans": ["前台"], "en": ["desk"]},
                "channels": ["Call Centre"],
            }
        )
