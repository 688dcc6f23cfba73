"""Accounts as services: users and roles, sign-in with a rate limit, browser sessions with a CSRF
token, API tokens with scopes, and the audit log. The CLI and the web app both call these.

Tokens and session cookies are 256-bit random values; only their SHA-256 digest is stored (a
slow hash is for guessable secrets like passwords, not for random ones), so a copy of the
database signs no one in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from carlzon.accounts.models import (
    ROLE_SCOPES,
    ApiToken,
    AuditDraft,
    AuditEntry,
    Principal,
    Role,
    Scope,
    User,
    WebSession,
)
from carlzon.accounts.passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
from carlzon.errors import AuthenticationError, InputError, NotFoundError, RateLimitedError
from carlzon.storage.store import Store

TOKEN_PREFIX = "czt_"
SESSION_LIFETIME = timedelta(hours=12)
LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILED_PER_USER = 5  # in LOGIN_WINDOW, then sign-ins for that name wait
MAX_FAILED_PER_SOURCE = 20  # from one address in LOGIN_WINDOW (one guesser trying many names)
TOUCH_EVERY = timedelta(minutes=1)  # a token's last use is written at most this often
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,119}$")


def _now() -> datetime:
    return datetime.now(UTC)


def digest(secret: str) -> str:
    """The SHA-256 hex digest a token or session cookie is stored and looked up by."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# -- users --------------------------------------------------------------------------------------


def add_user(
    *,
    store: Store,
    username: str,
    password: str | None,
    role: Role | str,
    department: str | None = None,
    display_name: str | None = None,
    language: str | None = None,
    actor: str,
    source: str | None = None,
) -> User:
    """A new user. A member must belong to a department (it is all they see); a password, when
    given, has at least MIN_LENGTH characters (a user without one can only own tokens)."""
    role = _role(role)
    if not _USERNAME.match(username):
        raise InputError(
            f"user name {username!r}: use letters, digits and . _ @ + - (at most 120), starting with a letter or digit"
        )
    if role is Role.MEMBER and not department:
        raise InputError("a member belongs to a department: pass --department (e.g. --department Kitchen)")
    _check_password(password)
    return store.add_user(
        username=username,
        password_hash=hash_password(password) if password else None,
        role=role,
        department=department,
        display_name=display_name,
        language=language,
        at=_now(),
        audit=AuditDraft(actor, "user.add", f"user {username}", source, {"role": role.value, "department": department}),
    )


def set_role(
    *, store: Store, username: str, role: Role | str, department: str | None, actor: str, source: str | None = None
) -> User:
    role = _role(role)
    user = _existing(store, username)
    department = department if department is not None else user.department
    if role is Role.MEMBER and not department:
        raise InputError("a member belongs to a department: pass --department")
    return store.update_user(
        username,
        {"role": role.value, "department": department},
        at=_now(),
        audit=AuditDraft(
            actor,
            "user.set_role",
            f"user {username}",
            source,
            {"from": user.role.value, "to": role.value, "department": department},
        ),
    )


def set_disabled(*, store: Store, username: str, disabled: bool, actor: str, source: str | None = None) -> User:
    """Disable (ends the user's sessions; their tokens stop working) or enable a user."""
    _existing(store, username)
    action = "user.disable" if disabled else "user.enable"
    return store.update_user(
        username, {"disabled": disabled}, at=_now(), audit=AuditDraft(actor, action, f"user {username}", source)
    )


def set_password(*, store: Store, username: str, password: str, actor: str, source: str | None = None) -> User:
    _existing(store, username)
    _check_password(password)
    return store.update_user(
        username,
        {"password_hash": hash_password(password)},
        at=_now(),
        audit=AuditDraft(actor, "user.password", f"user {username}", source),
    )


def list_users(*, store: Store) -> list[User]:
    return store.list_users()


# -- signing in ---------------------------------------------------------------------------------


def authenticate(*, store: Store, username: str, password: str, source: str | None) -> User:
    """The user whose password this is. Refused for a while after MAX_FAILED_PER_USER failures for
    the name (or MAX_FAILED_PER_SOURCE from the address) within LOGIN_WINDOW, even with the
    right password: a guesser learns nothing from trying on."""
    now = _now()
    by_user, by_source = store.failed_logins_since(username=username, source=source, since=now - LOGIN_WINDOW)
    if by_user >= MAX_FAILED_PER_USER or by_source >= MAX_FAILED_PER_SOURCE:
        raise RateLimitedError(
            f"too many failed sign-ins; wait {LOGIN_WINDOW.seconds // 60} minutes and try again",
            retry_after=LOGIN_WINDOW.seconds,
        )
    found = store.user_credentials(username)
    user, password_hash = found if found is not None else (None, None)
    ok = verify_password(password_hash, password) and user is not None and not user.disabled
    store.record_login_attempt(username=username, source=source, ok=ok, at=now)
    if not ok or user is None:
        raise AuthenticationError("wrong user name or password (or the user is disabled)")
    if password_hash is not None and needs_rehash(password_hash):
        store.update_user(
            username,
            {"password_hash": hash_password(password)},
            at=now,
            audit=AuditDraft(username, "user.password_rehash", f"user {username}", source),
        )
    return user


def start_session(*, store: Store, user: User, source: str | None) -> tuple[str, WebSession]:
    """A browser session: the cookie value (shown once, stored as a digest) and the session."""
    now = _now()
    cookie = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    store.add_web_session(
        user_id=user.id,
        token_hash=digest(cookie),
        csrf_token=csrf,
        source=source,
        at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    store.append_audit(AuditDraft(user.username, "session.start", f"user {user.username}", source), at=now)
    return cookie, WebSession(Principal.of(user, via="session"), csrf, now + SESSION_LIFETIME)


def session_for(*, store: Store, cookie: str) -> WebSession | None:
    """The live session behind a cookie (None: unknown, expired, or the user is disabled)."""
    found = store.web_session_by_hash(digest(cookie))
    if found is None:
        return None
    user, csrf, expires_at = found
    if user.disabled or expires_at <= _now():
        return None
    return WebSession(Principal.of(user, via="session"), csrf, expires_at)


def end_session(*, store: Store, cookie: str) -> None:
    store.end_web_session(digest(cookie))


# -- tokens -------------------------------------------------------------------------------------


def create_token(
    *,
    store: Store,
    username: str,
    name: str,
    scopes: Iterable[Scope | str],
    expires_in: timedelta | None = None,
    actor: str,
    source: str | None = None,
) -> tuple[str, ApiToken]:
    """A new token for ``username``: the secret (shown once, never stored) and the stored token.
    Its scopes cannot exceed what the owner's role allows."""
    user = _existing(store, username)
    wanted = tuple(dict.fromkeys(_scope(s) for s in scopes)) or (Scope.READ,)
    beyond = [s.value for s in wanted if s not in ROLE_SCOPES[user.role]]
    if beyond:
        raise InputError(
            f"a token cannot exceed its owner's rights: {username} is {user.role.value}, "
            f"which does not allow {', '.join(beyond)}"
        )
    if expires_in is not None and expires_in <= timedelta(0):
        raise InputError("a token's lifetime must be positive (e.g. --expires 30d)")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = _now()
    token = store.add_token(
        user_id=user.id,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        token_hash=digest(secret),
        scopes=wanted,
        expires_at=now + expires_in if expires_in else None,
        at=now,
        audit=AuditDraft(actor, "token.create", None, source, {"user": username, "scopes": [s.value for s in wanted]}),
    )
    return secret, token


def token_principal(*, store: Store, secret: str) -> Principal:
    """Who a bearer token acts as; AuthenticationError for an unknown, revoked or expired token or a
    disabled owner (one message for all: a caller learns nothing about which it was)."""
    found = store.token_by_hash(digest(secret)) if secret.startswith(TOKEN_PREFIX) else None
    now = _now()
    if found is not None:
        token, user = found
        live = token.revoked_at is None and (token.expires_at is None or token.expires_at > now)
        if live and not user.disabled:
            if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
                store.touch_token(token.id, now)
            return Principal.of(user, via="token", scopes=frozenset(token.scopes), token_id=token.id)
    raise AuthenticationError("the API token is unknown, revoked or expired; create one with: carlzon tokens create")


def list_tokens(*, store: Store, username: str | None = None) -> list[ApiToken]:
    return store.list_tokens(username=username)


def revoke_token(*, store: Store, token_id: int, actor: str, source: str | None = None) -> ApiToken:
    return store.revoke_token(token_id, at=_now(), audit=AuditDraft(actor, "token.revoke", f"token {token_id}", source))


def list_audit(
    *,
    store: Store,
    since: datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    return store.list_audit(since=since, actor=actor, action=action, limit=limit)


# -- checks -------------------------------------------------------------------------------------


def _existing(store: Store, username: str) -> User:
    user = store.get_user(username)
    if user is None:
        raise NotFoundError(f"no user named {username!r}; see: carlzon users list")
    return user


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InputError(f"unknown role {role!r}; use one of: {', '.join(r.value for r in Role)}") from None


def _scope(scope: Scope | str) -> Scope:
    try:
        return Scope(scope)
    except ValueError:
        raise InputError(f"unknown scope {scope!r}; use: {', '.join(s.value for s in Scope)}") from None


def _check_password(password: str | None) -> None:
    if password is not None and len(password) < MIN_LENGTH:
        raise InputError(f"a password needs at least {MIN_LENGTH} characters")
