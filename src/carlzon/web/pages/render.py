"""Rendering pages: one Jinja2 environment, autoescaped, with the message catalogue's ``_()``.

Every string a page shows goes through ``_()`` so the coming zh-Hans / zh-Hant catalogue
translates the pages without touching the templates.
"""

from __future__ import annotations

import gettext
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from carlzon import __version__


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("carlzon.web", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(gettext.NullTranslations(), newstyle=True)  # type: ignore[attr-defined]
    return env


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    session = getattr(request.state, "web_session", None)
    page = (
        environment()
        .get_template(template)
        .render(
            request=request,
            session=session,
            user=session.principal.user if session else None,
            csrf_token=session.csrf_token if session else "",
            version=__version__,
            **context,
        )
    )
    return HTMLResponse(page, status_code=status, headers=_secure(headers))


def error_page(request: Request, status: int, message: str, *, headers: dict[str, str] | None = None) -> HTMLResponse:
    return render(request, "error.html.j2", {"status": status, "message": message}, status=status, headers=headers)


def _secure(headers: dict[str, str] | None) -> dict[str, str]:
    """Pages load nothing from elsewhere: the policy says so to the browser too."""
    return {
        "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        **(headers or {}),
    }
