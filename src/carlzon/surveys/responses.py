"""Answering a published survey: the respondent's draft found again, partial answers kept as they
go, and a sent response stored with the feedback record it becomes — on the survey channel, its
open text redacted, its scores in the feedback's NPS / CSAT / CES / rating — so the worker's next
check analyses it and applies the rules (a detractor's comment becomes a task within a minute).

Why a draft key rather than a login: the page asks nothing of the respondent. The key is made
when the page is first shown, kept in a cookie (resume on the same device) and in the form (a
double click sends the same key, and finds the first send done); the store keeps only its hash.
The form's stamp (when it was shown, signed with the server's secret) gives the minimum fill
time without trusting the browser's clock.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from carlzon.errors import CarlzonError, NotFoundError, StateError
from carlzon.storage.store import Store
from carlzon.storage.survey_responses import AlreadySent, LinkState
from carlzon.surveys.answers import CheckedAnswers, check_answers
from carlzon.surveys.links import token_hash
from carlzon.surveys.models import Language, PublishedSurvey, Survey

MIN_FILL_SECONDS = 3.0  # a person takes longer than this to answer even one question
ABANDONED_AFTER = timedelta(hours=24)  # a draft untouched this long is filed as partial feedback
CHANNEL = "survey"


class AnswersNotValid(CarlzonError):
    """The answers cannot be sent as they are; ``checked`` says what each question needs."""

    def __init__(self, checked: CheckedAnswers) -> None:
        super().__init__(", ".join(f"{q}: {m}" for q, m in checked.problems.items()))
        self.checked = checked


class LinkAlreadyUsed(StateError):
    """A single-use link was answered with already (or this draft was sent)."""


@dataclass(frozen=True)
class Sent:
    response_id: int
    feedback_id: int | None


def new_draft_key() -> str:
    return secrets.token_urlsafe(18)


def draft_hash(key: str) -> str:
    return hashlib.sha256(f"draft:{key}".encode()).hexdigest()


def form_stamp(secret: str, key: str, now: float | None = None) -> str:
    """When the form was shown, signed with ``secret`` and bound to its draft key."""
    shown = int((now if now is not None else time.time()) * 1000)
    return f"{shown}.{_signature(secret, key, shown)}"


def stamp_age(secret: str, key: str, stamp: str, now: float | None = None) -> float | None:
    """Seconds since the form of ``stamp`` was shown; None when the stamp is not ours."""
    shown, _, signature = stamp.partition(".")
    if not shown.isdigit() or not hmac.compare_digest(signature, _signature(secret, key, int(shown))):
        return None
    return (now if now is not None else time.time()) - int(shown) / 1000


def _signature(secret: str, key: str, shown: int) -> str:
    return hmac.new(secret.encode(), f"{key}.{shown}".encode(), hashlib.sha256).hexdigest()[:32]


_parsed: weakref.WeakKeyDictionary[Store, dict[tuple[str, int, str], PublishedSurvey]] = weakref.WeakKeyDictionary()


def open_survey(store: Store, survey_id: str) -> PublishedSurvey:
    """The published survey, or an error a respondent can read: it is not there, or closed.

    Each request reads only the survey's version and status; the definition is read and checked
    again when they change (a survey page is asked for far more often than it is published)."""
    state = store.survey_state(survey_id)
    if state is None:
        raise NotFoundError(f"no survey '{survey_id}'; see carlzon surveys list")
    known = _parsed.setdefault(store, {})
    published = known.get((survey_id, *state))
    if published is None:
        published = store.get_survey(survey_id)
        if len(known) >= 256:
            known.clear()
        known[(published.survey.id, published.version, published.status)] = published
    if published.status != "open":
        raise StateError(f"survey '{survey_id}' is closed and takes no more answers")
    return published


def check_link(store: Store, survey_id: str, token: str | None) -> str | None:
    """The store of a personal link (None without a link); refuses an unknown or used link."""
    if not token:
        return None
    link = _known_link(store, survey_id, token_hash(token))
    if link.used:
        raise LinkAlreadyUsed("this link has been answered already")
    return link.location


def _known_link(store: Store, survey_id: str, hashed: str) -> LinkState:
    link = store.survey_link(hashed)
    if link is None or link.survey_id != survey_id:
        raise NotFoundError("this survey link is not known; check it was copied whole")
    return link


def save_partial(
    store: Store,
    published: PublishedSurvey,
    *,
    draft_key: str,
    raw: dict[str, Any],
    location: str | None,
    language: Language,
    token: str | None = None,
) -> bool:
    """Keep what the respondent has answered so far (the valid part; redacted); False when this
    draft was sent already."""
    checked = check_answers(published.survey, raw, complete=False)
    return store.save_survey_draft(
        survey_id=published.survey.id,
        version=published.version,
        draft_hash=draft_hash(draft_key),
        answers=checked.answers,
        location=location,
        language=language,
        token_hash=token_hash(token) if token else None,
        now=datetime.now(UTC),
    )


def submit_response(
    store: Store,
    published: PublishedSurvey,
    *,
    draft_key: str,
    raw: dict[str, Any],
    location: str | None,
    language: Language,
    token: str | None = None,
) -> Sent:
    """Store the response and its feedback record together. Raises AnswersNotValid (nothing is
    stored; the page shows the answers again with what each needs) or LinkAlreadyUsed."""
    checked = check_answers(published.survey, raw, complete=True)
    if not checked.ok:
        raise AnswersNotValid(checked)
    contact = None
    hashed = token_hash(token) if token else None
    if hashed is not None:
        link = _known_link(store, published.survey.id, hashed)
        location = link.location or location
        contact = link.contact
    now = datetime.now(UTC)
    record = feedback_record(published, checked.answers, location=location, language=language, contact=contact)
    try:
        response_id, feedback_id = store.complete_survey_response(
            survey_id=published.survey.id,
            version=published.version,
            draft_hash=draft_hash(draft_key),
            answers=checked.answers,
            location=location,
            language=language,
            token_hash=hashed,
            record=record | {"created_at": now},
            now=now,
        )
    except AlreadySent as exc:
        raise LinkAlreadyUsed("this survey has been answered from this link already") from exc
    return Sent(response_id, feedback_id)


def file_abandoned_drafts(store: Store, *, now: datetime | None = None) -> int:
    """Partial answers left for ABANDONED_AFTER become feedback marked partial (meta.survey.partial):
    a detractor who gave the score and left still reaches the analysis and the rules. The worker
    runs this on each check; returns the records written."""
    now = now or datetime.now(UTC)
    drafts = store.abandoned_survey_drafts(now - ABANDONED_AFTER)
    surveys: dict[str, PublishedSurvey] = {}
    filed: list[tuple[int, dict[str, Any] | None]] = []
    for draft in drafts:
        if draft.survey_id not in surveys:
            surveys[draft.survey_id] = store.get_survey(draft.survey_id)
        published = surveys[draft.survey_id]
        link = store.survey_link(draft.token_hash) if draft.token_hash else None
        record = feedback_record(
            published,
            draft.answers,
            location=draft.location,
            language=draft.language,  # type: ignore[arg-type]
            contact=link.contact if link else None,
        )
        record["meta"]["survey"]["partial"] = True
        learnt = record["text"] or any(record[k] is not None for k in ("nps", "csat", "ces", "rating"))
        filed.append((draft.id, record | {"created_at": draft.updated_at} if learnt else None))
    return store.file_survey_partials(filed) if filed else 0


def feedback_record(
    published: PublishedSurvey,
    answers: dict[str, Any],
    *,
    location: str | None,
    language: Language,
    contact: str | None,
) -> dict[str, Any]:
    """The feedback values of a response (its external id is the response's, set when stored):
    the open answers as its text, the first NPS / CSAT / CES / rating as its scores, and the rest
    in meta.survey — where the rules and the results read them — with each question's touchpoint."""
    survey = published.survey
    scores: dict[str, Any] = {}
    texts = []
    for question in survey.questions:
        value = answers.get(question.id)
        if value is None:
            continue
        if question.type == "text":
            texts.append(str(value))
        elif question.type in ("nps", "csat", "ces") and question.type not in scores:
            scores[question.type] = value
        elif question.type == "rating" and "rating" not in scores:
            scores["rating"] = round(float(value) * 5 / (question.scale or 5), 2)
    return {
        "source": f"survey:{survey.id}",
        "channel": CHANNEL,
        "brand": "own",
        "customer_id": contact,
        "location": location,
        "text": "\n".join(texts),
        "nps": scores.get("nps"),
        "csat": scores.get("csat"),
        "ces": scores.get("ces"),
        "rating": scores.get("rating"),
        "reach": None,
        "meta": {"survey": _meta(survey, published.version, answers, language)},
    }


def _meta(survey: Survey, version: int, answers: dict[str, Any], language: Language) -> dict[str, Any]:
    closed = {q.id: answers[q.id] for q in survey.questions if q.id in answers and q.type not in ("text", "rater")}
    return {
        "id": survey.id,
        "version": version,
        "language": language,
        "answers": closed,
        "touchpoints": {q.id: q.touchpoint for q in survey.questions if q.touchpoint and q.id in answers},
    }
