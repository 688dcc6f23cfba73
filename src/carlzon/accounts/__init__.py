"""Accounts: users with roles, sign-in, browser sessions, API tokens with scopes, the audit log."""

from carlzon.accounts.models import ApiToken, AuditEntry, Principal, Role, Scope, User

__all__ = ["ApiToken", "AuditEntry", "Principal", "Role", "Scope", "User"]
