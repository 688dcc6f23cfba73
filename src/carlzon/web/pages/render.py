"""Rendering pages: one autoescaped Jinja2 environment per language, with the catalogue's ``_()``
(carlzon.i18n), and the language of each request.

The language is, in order: ``?lang=`` (kept in a cookie, so a switch sticks), the cookie, the
signed-in user's preference (`carlzon users add --language`), the browser's Accept-Language, English.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from carlzon import __version__
from carlzon.i18n import LANGUAGES, NAMES, negotiate, normalise, translations
from carlzon.privacy.redact import redact

LANG_COOKIE = "carlzon_lang"


def N_(message: str) -> str:
    """gettext's name for "mark for the catalogue, translate when shown"."""
    return message


# Values from data that pages show as words: marked here so the catalogue holds them.
LABELS = {
    "open": N_("open"),
    "acknowledged": N_("acknowledged"),
    "in_progress": N_("in progress"),
    "waiting": N_("waiting"),
    "resolved": N_("resolved"),
    "verified": N_("verified"),
    "reopened": N_("reopened"),
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
    "critical": N_("critical"),
    "acknowledge": N_("acknowledge"),
    "start": N_("start"),
    "wait": N_("wait"),
    "resolve": N_("resolve"),
    "verify": N_("verify"),
    "reopen": N_("reopen"),
    "assign": N_("assign"),
    "comment": N_("comment"),
    "created": N_("created"),
    "matched": N_("matched"),
    "escalated": N_("escalated"),
    "admin": N_("admin"),
    "analyst": N_("analyst"),
    "member": N_("member"),
    "viewer": N_("viewer"),
    "queued": N_("queued"),
    "running": N_("running"),
    "done": N_("done"),
    "failed": N_("failed"),
    "interrupted": N_("interrupted"),
    "negative": N_("negative"),
    "neutral": N_("neutral"),
    "positive": N_("positive"),
}


@cache
def environment(language: str) -> Environment:
    env = Environment(
        loader=PackageLoader("carlzon.web", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # package data: no file changes while the server runs, no stat per page
    )
    catalogue = translations(language)
    env.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
    env.filters["label"] = lambda value: catalogue.gettext(LABELS.get(str(value), str(value)))
    env.filters["script"] = _script_filter(language)
    env.filters["redact"] = redact  # stored texts are redacted already; points are shown through it too
    return env


def _script_filter(language: str):  # type: ignore[no-untyped-def]
    """Chinese names as the page's script: the journeys keep simplified names; zh-Hant pages show
    them in traditional characters."""
    if language != "zh-Hant":
        return lambda value: value
    from carlzon.text import to_traditional

    return lambda value: to_traditional(str(value))


def request_language(request: Request) -> str:
    session = getattr(request.state, "web_session", None)
    preference = session.principal.user.language if session else None
    return negotiate(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        preference,
        accept_language=request.headers.get("accept-language"),
    )


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    session = getattr(request.state, "web_session", None)
    language = request_language(request)
    page = (
        environment(language)
        .get_template(template)
        .render(
            request=request,
            session=session,
            user=session.principal.user if session else None,
            csrf_token=session.csrf_token if session else "",
            version=__version__,
            lang=language,
            languages=[(code, NAMES[code]) for code in LANGUAGES],
            scopes={scope.value for scope in session.principal.scopes} if session else set(),
            member=bool(session and session.principal.department),
            page_query={k: v for k, v in request.query_params.items() if k != "lang"},
            **context,
        )
    )
    response = HTMLResponse(page, status_code=status, headers=secure_headers(headers) | {"Content-Language": language})
    chosen = normalise(request.query_params.get("lang"))
    if chosen:
        response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


# What each status means to a person, in the page's language; the service's own message (English,
# naming the field or the record) follows it as the detail.
HEADLINES = {
    400: N_("The request could not be understood."),
    403: N_("Your account may not see or change this."),
    404: N_("There is nothing here: the address is wrong or the record is gone."),
    405: N_("This address does not take that kind of request."),
    409: N_("This cannot be done in the record's present state."),
    422: N_("Some of what was sent is not valid."),
    429: N_("Too many attempts: wait a little and try again."),
    500: N_("Something went wrong on the server; the administrator can see it in the log."),
    503: N_("The database cannot be reached just now; try again shortly."),
}


def error_page(request: Request, status: int, message: str, *, headers: dict[str, str] | None = None) -> HTMLResponse:
    context = {"status": status, "message": message, "headline": HEADLINES.get(status, HEADLINES[400])}
    return render(request, "error.html.j2", context, status=status, headers=headers)


def secure_headers(headers: dict[str, str] | None) -> dict[str, str]:
    """Pages load nothing from elsewhere: the policy says so to the browser too."""
    return {
        "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        **(headers or {}),
    }
