"""Signing in and out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from carlzon.accounts.service import authenticate, end_session, start_session
from carlzon.errors import AuthenticationError, RateLimitedError
from carlzon.web.deps import SESSION_COOKIE, SessionDep, StoreDep, check_csrf, client_address
from carlzon.web.pages.render import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //evil.example or https://…): no open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html.j2", {"next": _safe_next(next), "error": None})


@router.post("/login")
def login(
    request: Request,
    store: StoreDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        user = authenticate(store=store, username=username, password=password, source=client_address(request))
    except (AuthenticationError, RateLimitedError) as exc:
        status = 429 if isinstance(exc, RateLimitedError) else 401
        return render(request, "login.html.j2", {"next": _safe_next(next), "error": str(exc)}, status=status)
    cookie, _ = start_session(store=store, user=user, source=client_address(request))
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        max_age=12 * 3600,
        path="/",
    )
    return response


@router.post("/logout")
def logout(request: Request, store: StoreDep, session: SessionDep, csrf_token: Annotated[str, Form()] = "") -> Response:
    if session is not None:
        check_csrf(session, csrf_token)
        end_session(store=store, cookie=request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
