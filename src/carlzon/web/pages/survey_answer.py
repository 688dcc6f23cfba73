"""The public survey page, ``/s/<survey>?store=S12&lang=en&t=TOKEN``: no login, no third-party
script, mobile first; the answers so far saved as the respondent goes (our own small script) and
resumed on the same device.

Spam is refused without losing a real answer: a filled honeypot field is refused outright (no
person sees it); a form sent faster than a person can answer, or with a stamp that is not ours,
is shown again with its answers to send once more; over the per-address rate limit the answers
are kept as a draft and the page asks to send again in a minute. A single-use link, or a form
already sent (a double click), gets a kind message rather than a second response.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import AfterValidator

from carlzon.errors import NotFoundError, StateError
from carlzon.i18n import browser_languages, negotiate, normalise
from carlzon.surveys.answers import read_form
from carlzon.surveys.models import LANGUAGES, Language, PublishedSurvey, Survey
from carlzon.surveys.rater import ITEMS
from carlzon.surveys.responses import (
    MIN_FILL_SECONDS,
    AnswersNotValid,
    LinkAlreadyUsed,
    check_link,
    draft_hash,
    form_stamp,
    new_draft_key,
    open_survey,
    save_partial,
    stamp_age,
    submit_response,
)
from carlzon.web.deps import StoreDep, client_address
from carlzon.web.pages.render import N_, environment, secure_headers
from carlzon.web.ratelimit import SlidingWindow

router = APIRouter()

KEPT_CHARS = 50_000  # of one field: an answer too long is shown back whole, to be shortened, not cut
HONEYPOT = "website"  # a field no person sees (hidden by the stylesheet, skipped by the keyboard)
DRAFT_COOKIE = "carlzon_survey_{}"
# Checked here, not by FastAPI: a respondent who mistypes the address gets the page's kind 404 in
# their language, not a validation error (ids are lower-case; /s/CATERING-VISIT finds the survey).
SurveyId = Annotated[str, AfterValidator(lambda value: value.strip().lower()[:100])]
_LIMITS_LOCK = threading.Lock()


def _limit(request: Request, kind: str) -> SlidingWindow:
    """The app's window for ``kind`` (sends, or the partial saves: four times as many), kept on the
    app so each app (and each test's) counts on its own."""
    state = request.app.state
    with _LIMITS_LOCK:
        limits = getattr(state, "survey_limits", None)
        if limits is None:
            per_minute = state.settings.survey_rate_limit
            limits = state.survey_limits = {"send": SlidingWindow(per_minute), "draft": SlidingWindow(per_minute * 4)}
    return limits[kind]  # type: ignore[no-any-return]


def survey_language(request: Request, survey: Survey) -> Language:
    """``?lang=``, then the browser's languages, then the survey's default — among those the survey
    speaks (a language it does not speak, asked or preferred, falls through to the next)."""
    spoken = survey.languages
    asked = normalise(request.query_params.get("lang"))
    if asked in spoken:
        return asked  # type: ignore[return-value]
    for preferred in browser_languages(request.headers.get("accept-language")):
        if preferred in spoken:
            return preferred  # type: ignore[return-value]
    return survey.default_language


def _page(
    request: Request, template: str, language: Language, context: dict[str, Any], *, status: int = 200
) -> HTMLResponse:
    html = environment(language).get_template(template).render(lang=language, **context)
    headers = secure_headers({"Content-Language": language, "Cache-Control": "no-store"})
    return HTMLResponse(html, status_code=status, headers=headers)


def _message(request: Request, language: Language, headline: str, detail: str = "", *, status: int) -> HTMLResponse:
    headers = secure_headers({"Content-Language": language, "Cache-Control": "no-store"})
    return HTMLResponse(_message_html(language, headline, detail), status_code=status, headers=headers)


@lru_cache(maxsize=512)
def _message_html(language: Language, headline: str, detail: str) -> str:
    """A message page (the thank-you after every answer): the same few, rendered once each."""
    template = environment(language).get_template("survey_message.html.j2")
    return template.render(lang=language, headline=headline, detail=detail)


def _fallback_language(request: Request) -> Language:
    found = negotiate(request.query_params.get("lang"), accept_language=request.headers.get("accept-language"))
    return found if found in LANGUAGES else "en"  # type: ignore[return-value]


def _form(
    request: Request,
    published: PublishedSurvey,
    language: Language,
    *,
    key: str,
    answers: dict[str, Any],
    location: str | None,
    token: str | None,
    problems: dict[str, str] | None = None,
    notice: str = "",
    status: int = 200,
) -> HTMLResponse:
    survey = published.survey
    context = {
        "survey": survey,
        "t": lambda text: text.in_(language) if text is not None else "",
        "answers": answers,
        "problems": problems or {},
        "notice": notice,
        "draft": key,
        "stamp": form_stamp(request.app.state.settings.secret_key.get_secret_value(), key),
        "location": location or "",
        "token": token or "",
        "honeypot": HONEYPOT,
        "rater_items": [(n, zh if language != "en" else en) for n, (zh, en) in enumerate(ITEMS, start=1)],
        "traditional": language == "zh-Hant",
    }
    response = _page(request, "survey_form.html.j2", language, context, status=status)
    response.set_cookie(
        DRAFT_COOKIE.format(survey.id),
        key,
        max_age=30 * 86400,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path=f"/s/{survey.id}",
    )
    return response


@router.api_route("/s/{survey_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def survey_page(
    request: Request,
    store: StoreDep,
    survey_id: SurveyId,
    place: Annotated[str | None, Query(alias="store")] = None,
    t: str | None = None,
) -> Response:
    place, t = (place or "").strip()[:200] or None, (t or "").strip()[:100] or None
    published = _opened(request, store, survey_id)
    if isinstance(published, Response):
        return published
    language = survey_language(request, published.survey)
    try:
        location = check_link(store, survey_id, t) or place
    except (LinkAlreadyUsed, NotFoundError) as exc:
        return _link_problem(request, language, exc)
    key, answers = _resumed(request, store, survey_id)
    return _form(request, published, language, key=key, answers=answers, location=location, token=t)


def _opened(request: Request, store: StoreDep, survey_id: str) -> PublishedSurvey | HTMLResponse:
    """The open survey, or the page that says it is not there or closed."""
    try:
        return open_survey(store, survey_id)
    except NotFoundError:
        headline, status = N_("There is no survey at this address."), 404
    except StateError:
        headline, status = N_("This survey has closed. Thank you for wanting to answer."), 410
    return _message(request, _fallback_language(request), headline, status=status)


def _link_problem(request: Request, language: Language, exc: Exception) -> HTMLResponse:
    """A personal link answered already (or this form sent already), or not known."""
    if isinstance(exc, LinkAlreadyUsed):
        return _message(request, language, N_("You have answered this survey already. Thank you!"), status=409)
    return _message(request, language, N_("This survey link is not known; check it was copied whole."), status=404)


def _resumed(request: Request, store: StoreDep, survey_id: str) -> tuple[str, dict[str, Any]]:
    """This device's unsent draft of the survey (its key and answers), or a new key."""
    key = request.cookies.get(DRAFT_COOKIE.format(survey_id))
    if key and 16 <= len(key) <= 64:
        draft = store.survey_draft(draft_hash(key))
        if draft is None:
            return key, {}
        if draft.survey_id == survey_id and not draft.complete:
            return key, _as_form_values(draft.answers)
    return new_draft_key(), {}


def _as_form_values(answers: dict[str, Any]) -> dict[str, Any]:
    """Stored answers as the form's values (what the template checks and fills)."""
    return {k: (v if isinstance(v, list | dict) else str(v)) for k, v in answers.items()}


MAX_FORM_BYTES = 1_000_000


@dataclass(frozen=True)
class SentForm:
    """What a survey page sent: the answers' fields, its draft key and signed stamp, the store and
    personal link it was opened with, and the honeypot field (filled only by scripts)."""

    values: dict[str, list[str]]
    key: str
    stamp: str
    location: str | None
    token: str | None
    trap: str

    def keep(self, store: StoreDep, published: PublishedSurvey, raw: dict[str, Any], language: Language) -> bool:
        """Save these answers as the draft (surveys.responses.save_partial)."""
        return save_partial(
            store, published, draft_key=self.key, raw=raw, location=self.location, language=language, token=self.token
        )


async def _sent_form(request: Request) -> SentForm:
    """The fields the page sent. A browser's form (url-encoded) is read with the standard library's
    parser, several times faster than the general multipart one (which still reads other bodies)."""
    values: dict[str, list[str]] = {}
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        body = await request.body()
        pairs = parse_qsl(body[:MAX_FORM_BYTES].decode("utf-8", "replace"), keep_blank_values=True)
    else:
        form = await request.form()
        pairs = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    for name, value in pairs:
        values.setdefault(name, []).append(value[:KEPT_CHARS])
    one = {name: items[0] for name, items in values.items()}
    key = one.get("draft", "")
    return SentForm(
        values,
        key if 16 <= len(key) <= 64 else "",
        one.get("stamp", ""),
        one.get("store") or None,
        one.get("t") or None,
        one.get(HONEYPOT, ""),
    )


@router.post("/s/{survey_id}/draft", status_code=204)
async def save_draft(request: Request, store: StoreDep, survey_id: SurveyId) -> Response:
    """The answers so far (the page's script sends them as the respondent goes)."""
    sent = await _sent_form(request)
    secret = request.app.state.settings.secret_key.get_secret_value()
    if sent.trap or not sent.key or stamp_age(secret, sent.key, sent.stamp) is None:
        return Response(status_code=400)
    if not _limit(request, "draft").allow(client_address(request) or "?"):
        return Response(status_code=429)
    from anyio import to_thread

    def keep() -> int:
        try:
            published = open_survey(store, survey_id)
        except (NotFoundError, StateError):
            return 410
        raw = read_form(published.survey, sent.values)
        return 204 if sent.keep(store, published, raw, survey_language(request, published.survey)) else 409

    return Response(status_code=await to_thread.run_sync(keep))


@router.post("/s/{survey_id}", response_class=HTMLResponse)
async def send_answers(request: Request, store: StoreDep, survey_id: SurveyId) -> Response:
    """Read the form here, then do the rest in one worker thread: the checks, the transaction and
    the page (one hop per answer; the event loop only moves bytes)."""
    from anyio import to_thread

    sent = await _sent_form(request)
    return await to_thread.run_sync(_send, request, store, survey_id, sent)


def _send(request: Request, store: StoreDep, survey_id: str, sent: SentForm) -> Response:
    if sent.trap:
        return _message(request, _fallback_language(request), N_("This answer was not sent."), status=400)
    published = _opened(request, store, survey_id)
    if isinstance(published, Response):
        return published
    survey = published.survey
    language = survey_language(request, survey)
    raw = read_form(survey, sent.values)
    if not sent.key:
        sent = replace(sent, key=new_draft_key())
    key, location, token = sent.key, sent.location, sent.token
    age = stamp_age(request.app.state.settings.secret_key.get_secret_value(), key, sent.stamp)

    def again(notice: str, status: int, problems: dict[str, str] | None = None) -> HTMLResponse:
        return _form(
            request,
            published,
            language,
            key=key,
            answers=raw,
            location=location,
            token=token,
            problems=problems,
            notice=notice,
            status=status,
        )

    if age is None or age < MIN_FILL_SECONDS:
        return again(N_("Please check your answers and send them again."), 422)
    if not _limit(request, "send").allow(client_address(request) or "?"):
        sent.keep(store, published, raw, language)
        return again(
            N_("Many answers are arriving from your network: wait a minute and send again. Your answers are kept."), 429
        )
    try:
        submit_response(store, published, draft_key=key, raw=raw, location=location, language=language, token=token)
    except AnswersNotValid as exc:
        return again(N_("Some answers need a second look."), 422, exc.checked.problems)
    except (LinkAlreadyUsed, NotFoundError) as exc:
        return _link_problem(request, language, exc)
    thanks = survey.thank_you.in_(language) if survey.thank_you else ""
    response = _message(request, language, N_("Thank you! Your answers have been sent."), thanks, status=200)
    response.delete_cookie(DRAFT_COOKIE.format(survey.id), path=f"/s/{survey.id}")
    return response
