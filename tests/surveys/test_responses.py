"""Answering a survey: the form read and checked (display logic, scales, options), partial answers
kept, a sent response stored once with its feedback record, and a single-use link spent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from carlzon.errors import NotFoundError
from carlzon.storage.store import Store
from carlzon.surveys.answers import NEEDS_ANSWER, NOT_AN_OPTION, NOT_ON_SCALE, check_answers, read_form
from carlzon.surveys.definitions import load_survey
from carlzon.surveys.links import personal_links
from carlzon.surveys.responses import (
    AnswersNotValid,
    LinkAlreadyUsed,
    check_link,
    form_stamp,
    new_draft_key,
    save_partial,
    stamp_age,
    submit_response,
)
from tests.surveys.test_definitions import EXAMPLE

DETRACTOR = {"q.nps": ["3"], "q.serving": ["2"], "q.went-wrong": ["等了四十分钟才上菜，电话13812345678"]}


def test_the_form_is_read_with_its_display_logic() -> None:
    survey = load_survey(EXAMPLE)
    promoter = check_answers(survey, read_form(survey, {**DETRACTOR, "q.nps": ["10"]}), complete=True)
    assert promoter.ok and "went-wrong" not in promoter.answers  # only detractors are asked
    detractor = check_answers(survey, read_form(survey, DETRACTOR), complete=True)
    assert detractor.answers["nps"] == 3 and detractor.answers["serving"] == 2
    assert "13812345678" not in detractor.answers["went-wrong"] and "[PHONE]" in detractor.answers["went-wrong"]
    rater = read_form(survey, {"q.nps": ["9"], "q.servqual.p1": ["6"], "q.servqual.e1": ["7"]})
    assert check_answers(survey, rater, complete=True).answers["servqual"] == {"p1": 6}  # perception only


@pytest.mark.parametrize(
    ("form", "question", "problem"),
    [
        ({}, "nps", NEEDS_ANSWER),
        ({"q.nps": ["11"]}, "nps", NOT_ON_SCALE),
        ({"q.nps": ["7.5"]}, "nps", NOT_ON_SCALE),
        ({"q.nps": ["8"], "q.serving": ["0"]}, "serving", NOT_ON_SCALE),
        ({"q.nps": ["8"], "q.visit-reason": ["picnic"]}, "visit-reason", NOT_AN_OPTION),
        ({"q.nps": ["8"], "q.servqual.p3": ["9"]}, "servqual", NOT_ON_SCALE),
    ],
)
def test_each_answer_is_checked_against_its_question(form: dict, question: str, problem: str) -> None:
    survey = load_survey(EXAMPLE)
    checked = check_answers(survey, read_form(survey, form), complete=True)
    assert checked.problems == {question: problem}


def test_a_partial_answer_is_kept_and_resumed_then_sent_once(store: Store) -> None:
    published, _ = store.publish_survey(load_survey(EXAMPLE), actor="test")
    key = new_draft_key()
    raw = read_form(published.survey, {"q.nps": ["3"]})
    assert save_partial(store, published, draft_key=key, raw=raw, location="S12", language="zh-Hans")
    from carlzon.surveys.responses import draft_hash

    draft = store.survey_draft(draft_hash(key))
    assert draft is not None and draft.answers == {"nps": 3} and not draft.complete and draft.location == "S12"

    with pytest.raises(AnswersNotValid) as refused:
        submit_response(store, published, draft_key=key, raw={"nps": "x"}, location=None, language="zh-Hans")
    assert refused.value.checked.problems == {"nps": NOT_ON_SCALE}

    sent = submit_response(
        store, published, draft_key=key, raw=read_form(published.survey, DETRACTOR), location=None, language="zh-Hans"
    )
    assert sent.feedback_id is not None
    with pytest.raises(LinkAlreadyUsed):  # a double click: the same draft again
        submit_response(
            store, published, draft_key=key, raw=read_form(published.survey, DETRACTOR), location=None, language="en"
        )
    assert not save_partial(store, published, draft_key=key, raw=raw, location=None, language="zh-Hans")

    with store.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT source, channel, location, text, nps, csat, meta FROM feedback WHERE id = :id"),
            {"id": sent.feedback_id},
        ).all()
        responses = connection.execute(text("SELECT status, answers FROM survey_responses")).all()
    assert len(rows) == 1 and len(responses) == 1 and responses[0][0] == "complete"
    source, channel, location, body, nps, csat, meta = rows[0]
    assert (source, channel, location, nps, csat) == ("survey:catering-visit", "survey", "S12", 3, 2)
    assert "等了四十分钟才上菜" in body and "13812345678" not in body
    meta = json.loads(meta) if isinstance(meta, str) else meta
    assert meta["survey"]["touchpoints"] == {"serving": "serving_time", "went-wrong": "serving_time"}
    assert "13812345678" not in json.dumps(responses[0][1], ensure_ascii=False)


def test_a_personal_link_is_answered_once(store: Store, tmp_path: Path) -> None:
    published, _ = store.publish_survey(load_survey(EXAMPLE), actor="test")
    contacts = tmp_path / "customers.csv"
    contacts.write_text("customer_id,store\nC1,Xuhui\n", encoding="utf-8")
    out = tmp_path / "links.csv"
    personal_links(store=store, survey_id="catering-visit", contacts=contacts, out=out, base_url="http://x")
    token = out.read_text(encoding="utf-8-sig").split("t=")[1].strip()
    assert check_link(store, "catering-visit", token) == "Xuhui"
    raw = read_form(published.survey, {"q.nps": ["9"]})
    first = submit_response(
        store, published, draft_key=new_draft_key(), raw=raw, location=None, language="en", token=token
    )
    assert first.feedback_id is not None
    with pytest.raises(LinkAlreadyUsed):  # another device, the same link
        submit_response(store, published, draft_key=new_draft_key(), raw=raw, location=None, language="en", token=token)
    with pytest.raises(LinkAlreadyUsed):
        check_link(store, "catering-visit", token)
    with pytest.raises(NotFoundError):
        check_link(store, "catering-visit", "not-a-token")
    assert store.survey_link_counts("catering-visit") == (1, 1)
    with store.engine.connect() as connection:
        customer, location = connection.execute(
            text("SELECT customer_id, location FROM feedback WHERE id = :id"), {"id": first.feedback_id}
        ).one()
    assert customer and customer != "C1" and location == "Xuhui"  # the customer hashed, as every id


def test_the_form_stamp_is_signed_and_ages() -> None:
    stamp = form_stamp("secret", "key", now=1000.0)
    assert stamp_age("secret", "key", stamp, now=1004.5) == pytest.approx(4.5)
    assert stamp_age("other", "key", stamp, now=1004.5) is None
    assert stamp_age("secret", "another-key", stamp, now=1004.5) is None
    assert stamp_age("secret", "key", "12.forged", now=1004.5) is None


def test_an_answer_left_half_way_becomes_partial_feedback_after_a_day(store: Store) -> None:
    from datetime import UTC, datetime, timedelta

    from carlzon.surveys.responses import ABANDONED_AFTER, draft_hash, file_abandoned_drafts

    published, _ = store.publish_survey(load_survey(EXAMPLE), actor="test")
    left, empty = new_draft_key(), new_draft_key()
    detractor = read_form(published.survey, {"q.nps": ["2"], "q.went-wrong": ["等了一个小时，电话13812345678"]})
    save_partial(store, published, draft_key=left, raw=detractor, location="S12", language="zh-Hans")
    save_partial(store, published, draft_key=empty, raw={}, location="S12", language="zh-Hans")
    assert file_abandoned_drafts(store) == 0  # not left long enough
    later = datetime.now(UTC) + ABANDONED_AFTER + timedelta(minutes=1)
    assert file_abandoned_drafts(store, now=later) == 1  # the empty one holds nothing to learn from
    assert file_abandoned_drafts(store, now=later) == 0  # filed once
    with store.engine.connect() as connection:
        body, nps, meta = connection.execute(text("SELECT text, nps, meta FROM feedback")).one()
    meta = json.loads(meta) if isinstance(meta, str) else meta
    assert nps == 2 and meta["survey"]["partial"] is True and "13812345678" not in body
    assert store.survey_draft(draft_hash(left)) is None  # the device starts afresh
    sent = submit_response(store, published, draft_key=left, raw=detractor, location="S12", language="zh-Hans")
    assert sent.feedback_id is not None  # a later send is its own response, not lost
    frame = store.survey_responses_frame("catering-visit")
    assert sorted(frame["status"]) == ["complete", "partial", "partial"]
