"""Who may do what: users with a role, API tokens with scopes, and the principal a request acts as.

Pure types (no storage, no web framework): the CLI, the web app and the services share them.
Roles follow the issue's four: an **admin** runs the workspace, an **analyst** reads everything
and may push feedback and work tasks, a **member** of a department sees and works only that
department's tasks (and the feedback behind them), a **viewer** only reads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    MEMBER = "member"
    VIEWER = "viewer"


class Scope(StrEnum):
    """What a token may do. ``read`` is every read the owner may make; the write scopes add one
    kind of change each; ``admin`` is user, token and workspace administration."""

    READ = "read"
    FEEDBACK_WRITE = "feedback:write"
    TASKS_WRITE = "tasks:write"
    ADMIN = "admin"


ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.ADMIN: frozenset(Scope),
    Role.ANALYST: frozenset({Scope.READ, Scope.FEEDBACK_WRITE, Scope.TASKS_WRITE}),
    Role.MEMBER: frozenset({Scope.READ, Scope.TASKS_WRITE}),
    Role.VIEWER: frozenset({Scope.READ}),
}


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: Role
    department: str | None
    display_name: str | None
    language: str | None
    disabled: bool
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `carlzon users list --json` and the API (never a password hash)."""
        data = asdict(self)
        data["role"] = self.role.value
        data["created_at"] = self.created_at.isoformat()
        return data


@dataclass(frozen=True)
class ApiToken:
    """A stored token: its public prefix (how a user tells tokens apart) and never the secret."""

    id: int
    user_id: int
    username: str
    name: str
    prefix: str
    scopes: tuple[Scope, ...]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user": self.username,
            "name": self.name,
            "prefix": self.prefix,
            "scopes": [s.value for s in self.scopes],
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
        }


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: a user, through a session (every right of the role) or a token (the
    token's scopes, never more than the role's)."""

    user: User
    scopes: frozenset[Scope]
    via: str  # "session", "token" or "cli"
    token_id: int | None = None

    @classmethod
    def of(
        cls, user: User, *, via: str, scopes: frozenset[Scope] | None = None, token_id: int | None = None
    ) -> Principal:
        allowed = ROLE_SCOPES[user.role]
        return cls(user, allowed if scopes is None else scopes & allowed, via, token_id)

    def can(self, scope: Scope) -> bool:
        return scope in self.scopes

    @property
    def department(self) -> str | None:
        """The only department whose tasks and feedback this principal may see (None: all)."""
        return self.user.department if self.user.role is Role.MEMBER else None

    @property
    def actor(self) -> str:
        """The name the audit log keeps."""
        suffix = f" (token {self.token_id})" if self.token_id is not None else ""
        return f"{self.user.username}{suffix}"


@dataclass(frozen=True)
class AuditEntry:
    """One change, as the append-only audit log keeps it: who, what, on what, when, from where."""

    id: int
    at: datetime
    actor: str
    action: str
    target: str | None
    source: str | None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = self.at.isoformat()
        return data


@dataclass(frozen=True)
class WebSession:
    """A signed-in browser: the user and the CSRF token its forms must carry."""

    principal: Principal
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class AuditDraft:
    """A change to record, written in the same transaction as the change itself."""

    actor: str
    action: str
    target: str | None = None
    source: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
