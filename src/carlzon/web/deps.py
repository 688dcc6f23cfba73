"""Dependencies the routes declare: the store, who is asking (a bearer token or a session cookie),
and what they must be allowed to do.

Why async: FastAPI runs a sync dependency in its thread pool, and four hops per request cost more
than the work (one indexed lookup of a token or session digest, well under a millisecond); the
route itself, which does the real database work, stays sync and takes one hop."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Form, Request

from carlzon.accounts.models import Principal, Scope, WebSession
from carlzon.accounts.service import session_for, token_principal
from carlzon.errors import AuthenticationError, PermissionDeniedError
from carlzon.storage.store import Store

SESSION_COOKIE = "carlzon_session"
CSRF_HEADER = "x-csrf-token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def get_store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


StoreDep = Annotated[Store, Depends(get_store)]


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


async def web_session(request: Request, store: StoreDep) -> WebSession | None:
    """The browser's session, if its cookie is live (cached on the request)."""
    if hasattr(request.state, "web_session"):
        return request.state.web_session  # type: ignore[no-any-return]
    cookie = request.cookies.get(SESSION_COOKIE)
    found = session_for(store=store, cookie=cookie) if cookie else None
    request.state.web_session = found
    return found


SessionDep = Annotated[WebSession | None, Depends(web_session)]


async def current_principal(request: Request, store: StoreDep, session: SessionDep) -> Principal:
    """Who is asking: a bearer token (API clients) or the session cookie (the pages, and the API
    from the pages, which must then send the session's CSRF token with every change)."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise AuthenticationError("use 'Authorization: Bearer czt_…' (create a token: carlzon tokens create)")
        return token_principal(store=store, secret=value.strip())
    if session is None:
        raise AuthenticationError("sign in first, or send 'Authorization: Bearer czt_…' (carlzon tokens create)")
    if request.method in UNSAFE and request.url.path.startswith("/api/"):
        check_csrf(session, request.headers.get(CSRF_HEADER))
    return session.principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def check_csrf(session: WebSession, sent: str | None) -> None:
    """A change made with a session cookie must carry the session's CSRF token (a form field or
    the X-CSRF-Token header): another site can make the browser send the cookie, not the token."""
    if not sent or not secrets.compare_digest(sent, session.csrf_token):
        raise PermissionDeniedError(
            "the form's security token is missing or out of date; reload the page and try again"
        )


def require(scope: Scope) -> Callable[[Principal], Awaitable[Principal]]:
    async def allowed(principal: PrincipalDep) -> Principal:
        if not principal.can(scope):
            how = "this token lacks" if principal.via == "token" else f"the role {principal.user.role.value} lacks"
            raise PermissionDeniedError(f"{how} the scope {scope.value}")
        return principal

    return allowed


Reader = Annotated[Principal, Depends(require(Scope.READ))]


async def every_department(principal: Reader) -> Principal:
    """A reader of every department's feedback: not a department member (who sees only the
    feedback behind their department's tasks). Rules' dry runs and pain points quote feedback."""
    if principal.department is not None:
        raise PermissionDeniedError(
            f"this shows feedback of every department; as a member of {principal.department} you see your "
            "department's tasks and the feedback behind them"
        )
    return principal


WideReader = Annotated[Principal, Depends(every_department)]
FeedbackWriter = Annotated[Principal, Depends(require(Scope.FEEDBACK_WRITE))]
TaskWorker = Annotated[Principal, Depends(require(Scope.TASKS_WRITE))]
Admin = Annotated[Principal, Depends(require(Scope.ADMIN))]


async def form_session(session: SessionDep, csrf_token: Annotated[str, Form()] = "") -> WebSession:
    """The session behind a page's form post, whose CSRF token it must carry. A form is the pages'
    way to change something; other systems use the API with a token."""
    if session is None:
        raise AuthenticationError("sign in to change things from the pages; other systems use the API with a token")
    check_csrf(session, csrf_token)
    return session


FormSession = Annotated[WebSession, Depends(form_session)]
YamlForm = Annotated[str, Form(max_length=1_000_000)]  # a rules or survey file's text, edited in a page
