"""Store methods for accounts: users, API tokens, web sessions, sign-in attempts, and the
append-only audit log every change writes to in its own transaction.

Secrets never reach this module: it receives argon2 hashes of passwords and SHA-256 digests of
tokens and session cookies, and looks rows up by digest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from carlzon.accounts.models import ApiToken, AuditDraft, AuditEntry, Role, Scope, User
from carlzon.errors import InputError, NotFoundError
from carlzon.storage.engine import as_utc
from carlzon.storage.tables import ApiTokenRow, AuditRow, LoginAttemptRow, UserRow, WebSessionRow


def _user(row: UserRow) -> User:
    return User(
        id=row.id,
        username=row.username,
        role=Role(row.role),
        department=row.department,
        display_name=row.display_name,
        language=row.language,
        disabled=bool(row.disabled),
        created_at=as_utc(row.created_at),  # type: ignore[arg-type]
    )


def _token(row: ApiTokenRow, username: str) -> ApiToken:
    return ApiToken(
        id=row.id,
        user_id=row.user_id,
        username=username,
        name=row.name,
        prefix=row.prefix,
        scopes=tuple(Scope(s) for s in row.scopes),
        created_at=as_utc(row.created_at),  # type: ignore[arg-type]
        expires_at=as_utc(row.expires_at),
        revoked_at=as_utc(row.revoked_at),
        last_used_at=as_utc(row.last_used_at),
    )


_AUDIT_INSERT = AuditRow.__table__.insert()
# Every API request looks its token up: the statement is built once (building it cost more than running it).
_TOKEN_BY_HASH = (
    select(ApiTokenRow, UserRow)
    .join(UserRow, UserRow.id == ApiTokenRow.user_id)
    .where(ApiTokenRow.token_hash == bindparam("digest"))
)


def write_audit(session: Session, draft: AuditDraft, at: datetime) -> None:
    """Append one entry in the caller's transaction (the change and its record commit together)."""
    session.execute(
        _AUDIT_INSERT,
        {
            "at": at,
            "actor": draft.actor,
            "action": draft.action,
            "target": draft.target,
            "source": draft.source,
            "detail": draft.detail,
        },
    )


class AccountsMixin:
    """Users, tokens, sessions and the audit log; mixed into Store."""

    engine: Engine
    writing: Callable[[], AbstractContextManager[object]]  # Store.writing

    # -- users -------------------------------------------------------------------------------------

    def add_user(
        self,
        *,
        username: str,
        password_hash: str | None,
        role: Role,
        department: str | None,
        display_name: str | None,
        language: str | None,
        at: datetime,
        audit: AuditDraft,
    ) -> User:
        """A new user; a name already taken is an InputError."""
        with Session(self.engine) as session:
            row = UserRow(
                username=username,
                password_hash=password_hash,
                role=role.value,
                department=department,
                display_name=display_name,
                language=language,
                disabled=False,
                created_at=at,
            )
            session.add(row)
            try:
                session.flush()
            except IntegrityError:
                session.rollback()
                raise InputError(f"a user named {username!r} already exists; see: carlzon users list") from None
            write_audit(session, audit, at)
            session.commit()
            return _user(row)

    def get_user(self, username: str) -> User | None:
        with Session(self.engine) as session:
            row = session.scalar(select(UserRow).where(UserRow.username == username))
            return _user(row) if row is not None else None

    def user_credentials(self, username: str) -> tuple[User, str | None] | None:
        """The user and their password hash, for signing in (None: no such user)."""
        with Session(self.engine) as session:
            row = session.scalar(select(UserRow).where(UserRow.username == username))
            return (_user(row), row.password_hash) if row is not None else None

    def list_users(self) -> list[User]:
        with Session(self.engine) as session:
            return [_user(row) for row in session.scalars(select(UserRow).order_by(UserRow.username))]

    def count_users(self, *, role: Role | None = None) -> int:
        with Session(self.engine) as session:
            query = select(func.count()).select_from(UserRow).where(UserRow.disabled.is_(False))
            if role is not None:
                query = query.where(UserRow.role == role.value)
            return int(session.scalar(query) or 0)

    def update_user(self, username: str, changes: dict[str, Any], *, at: datetime, audit: AuditDraft) -> User:
        """Change columns of a user (role, department, disabled, password_hash, …) and log it."""
        with Session(self.engine) as session:
            row = session.scalar(select(UserRow).where(UserRow.username == username))
            if row is None:
                raise NotFoundError(f"no user named {username!r}; see: carlzon users list")
            for name, value in changes.items():
                setattr(row, name, value)
            if changes.get("disabled"):
                session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))
            write_audit(session, audit, at)
            session.commit()
            return _user(row)

    # -- tokens ------------------------------------------------------------------------------------

    def add_token(
        self,
        *,
        user_id: int,
        name: str,
        prefix: str,
        token_hash: str,
        scopes: Sequence[Scope],
        expires_at: datetime | None,
        at: datetime,
        audit: AuditDraft,
    ) -> ApiToken:
        with Session(self.engine) as session:
            user = session.get(UserRow, user_id)
            if user is None:
                raise NotFoundError(f"no user with id {user_id}")
            row = ApiTokenRow(
                user_id=user_id,
                name=name,
                prefix=prefix,
                token_hash=token_hash,
                scopes=[s.value for s in scopes],
                created_at=at,
                expires_at=expires_at,
            )
            session.add(row)
            session.flush()
            write_audit(session, replace(audit, target=f"token {row.id}"), at)
            session.commit()
            return _token(row, user.username)

    def token_by_hash(self, token_hash: str) -> tuple[ApiToken, User] | None:
        with Session(self.engine) as session:
            found = session.execute(_TOKEN_BY_HASH, {"digest": token_hash}).first()
            if found is None:
                return None
            token, user = found
            return _token(token, user.username), _user(user)

    def touch_token(self, token_id: int, at: datetime) -> None:
        """Record a token's last use (what `carlzon tokens list` shows)."""
        with self.writing(), Session(self.engine) as session:
            session.execute(update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used_at=at))
            session.commit()

    def list_tokens(self, *, username: str | None = None) -> list[ApiToken]:
        with Session(self.engine) as session:
            query = select(ApiTokenRow, UserRow.username).join(UserRow, UserRow.id == ApiTokenRow.user_id)
            if username is not None:
                query = query.where(UserRow.username == username)
            return [_token(row, name) for row, name in session.execute(query.order_by(ApiTokenRow.id))]

    def revoke_token(self, token_id: int, *, at: datetime, audit: AuditDraft) -> ApiToken:
        with Session(self.engine) as session:
            found = session.execute(
                select(ApiTokenRow, UserRow.username)
                .join(UserRow, UserRow.id == ApiTokenRow.user_id)
                .where(ApiTokenRow.id == token_id)
            ).first()
            if found is None:
                raise NotFoundError(f"no token {token_id}; see: carlzon tokens list")
            row, username = found
            if row.revoked_at is None:
                row.revoked_at = at
                write_audit(session, audit, at)
            session.commit()
            return _token(row, username)

    # -- sessions and sign-in attempts --------------------------------------------------------------

    def add_web_session(
        self, *, user_id: int, token_hash: str, csrf_token: str, source: str | None, at: datetime, expires_at: datetime
    ) -> None:
        with Session(self.engine) as session:
            session.add(
                WebSessionRow(
                    user_id=user_id,
                    token_hash=token_hash,
                    csrf_token=csrf_token,
                    source=source,
                    created_at=at,
                    expires_at=expires_at,
                )
            )
            session.commit()

    def web_session_by_hash(self, token_hash: str) -> tuple[User, str, datetime] | None:
        """The session's user, CSRF token and expiry (None: no such session)."""
        with Session(self.engine) as session:
            found = session.execute(
                select(WebSessionRow, UserRow)
                .join(UserRow, UserRow.id == WebSessionRow.user_id)
                .where(WebSessionRow.token_hash == token_hash)
            ).first()
            if found is None:
                return None
            web, user = found
            return _user(user), web.csrf_token, as_utc(web.expires_at)  # type: ignore[return-value]

    def end_web_session(self, token_hash: str) -> None:
        with Session(self.engine) as session:
            session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash))
            session.commit()

    def record_login_attempt(self, *, username: str, source: str | None, ok: bool, at: datetime) -> None:
        with self.writing(), Session(self.engine) as session:
            session.add(LoginAttemptRow(username=username, source=source, ok=ok, at=at))
            session.commit()

    def failed_logins_since(self, *, username: str, source: str | None, since: datetime) -> tuple[int, int]:
        """Failed attempts since ``since`` for this user name, and from this address."""
        with Session(self.engine) as session:
            failed = (
                select(func.count())
                .select_from(LoginAttemptRow)
                .where(LoginAttemptRow.ok.is_(False), LoginAttemptRow.at >= since)
            )
            by_user = int(session.scalar(failed.where(LoginAttemptRow.username == username)) or 0)
            by_source = int(session.scalar(failed.where(LoginAttemptRow.source == source)) or 0) if source else 0
            return by_user, by_source

    # -- the audit log -----------------------------------------------------------------------------

    def append_audit(self, draft: AuditDraft, *, at: datetime) -> None:
        """Record a change made elsewhere (a file import, an API call) in its own transaction."""
        with self.writing(), Session(self.engine) as session:
            write_audit(session, draft, at)
            session.commit()

    def list_audit(
        self,
        *,
        since: datetime | None = None,
        actor: str | None = None,
        action: str | None = None,
        limit: int = 100,
    ) -> list[AuditEntry]:
        """The newest entries first."""
        with Session(self.engine) as session:
            query = select(AuditRow)
            if since is not None:
                query = query.where(AuditRow.at >= since)
            if actor is not None:
                query = query.where(AuditRow.actor.like(f"{actor}%"))
            if action is not None:
                query = query.where(AuditRow.action.like(f"{action}%"))
            rows = session.scalars(query.order_by(AuditRow.id.desc()).limit(limit))
            return [
                AuditEntry(
                    id=row.id,
                    at=as_utc(row.at),  # type: ignore[arg-type]
                    actor=row.actor,
                    action=row.action,
                    target=row.target,
                    source=row.source,
                    detail=dict(row.detail or {}),
                )
                for row in rows
            ]
