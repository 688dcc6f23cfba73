"""Users, roles, sign-in with a rate limit, tokens with scopes, and the append-only audit log, on
SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from carlzon.accounts.models import Role, Scope
from carlzon.accounts.service import (
    MAX_FAILED_PER_USER,
    add_user,
    authenticate,
    create_token,
    list_audit,
    revoke_token,
    session_for,
    set_disabled,
    set_role,
    start_session,
    token_principal,
)
from carlzon.errors import AuthenticationError, InputError, RateLimitedError
from carlzon.storage import Store

PASSWORD = "correct horse battery"


def test_a_password_is_stored_as_an_argon2_hash_and_signs_in(store: Store) -> None:
    user = add_user(store=store, username="alice", password=PASSWORD, role="admin", actor="test")
    _, stored = store.user_credentials("alice")  # type: ignore[misc]
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
    assert authenticate(store=store, username="alice", password=PASSWORD, source="127.0.0.1").id == user.id
    with pytest.raises(AuthenticationError):
        authenticate(store=store, username="alice", password="wrong password!", source="127.0.0.1")
    with pytest.raises(AuthenticationError):
        authenticate(store=store, username="nobody", password=PASSWORD, source="127.0.0.1")


def test_sign_in_is_rate_limited_even_with_the_right_password(sqlite_store: Store) -> None:
    add_user(store=sqlite_store, username="bob", password=PASSWORD, role="viewer", actor="test")
    for _ in range(MAX_FAILED_PER_USER):
        with pytest.raises(AuthenticationError):
            authenticate(store=sqlite_store, username="bob", password="guess number x", source="10.0.0.9")
    with pytest.raises(RateLimitedError) as refused:
        authenticate(store=sqlite_store, username="bob", password=PASSWORD, source="10.0.0.9")
    assert refused.value.retry_after > 0


def test_a_member_needs_a_department_and_a_short_password_is_refused(sqlite_store: Store) -> None:
    with pytest.raises(InputError, match="department"):
        add_user(store=sqlite_store, username="chen", password=PASSWORD, role="member", actor="test")
    with pytest.raises(InputError, match="at least 10"):
        add_user(store=sqlite_store, username="chen", password="short", role="viewer", actor="test")
    add_user(store=sqlite_store, username="chen", password=PASSWORD, role="viewer", actor="test")
    with pytest.raises(InputError, match="already exists"):
        add_user(store=sqlite_store, username="chen", password=PASSWORD, role="viewer", actor="test")


def test_a_token_never_exceeds_its_owners_rights_and_can_be_revoked(store: Store) -> None:
    add_user(store=store, username="kim", password=None, role="member", department="Kitchen", actor="test")
    with pytest.raises(InputError, match="cannot exceed"):
        create_token(store=store, username="kim", name="x", scopes=["feedback:write"], actor="test")
    secret, token = create_token(
        store=store, username="kim", name="board", scopes=["read", "tasks:write"], actor="test"
    )
    assert secret.startswith("czt_") and token.prefix == secret[:10]
    assert all(secret not in str(t.to_dict()) for t in store.list_tokens())  # only the digest is stored
    principal = token_principal(store=store, secret=secret)
    assert principal.user.username == "kim" and principal.department == "Kitchen"
    assert principal.can(Scope.TASKS_WRITE) and not principal.can(Scope.FEEDBACK_WRITE)
    # Demoted to viewer: the token keeps its scopes on paper but loses what the role lost.
    set_role(store=store, username="kim", role="viewer", department=None, actor="test")
    assert not token_principal(store=store, secret=secret).can(Scope.TASKS_WRITE)
    revoke_token(store=store, token_id=token.id, actor="test")
    with pytest.raises(AuthenticationError):
        token_principal(store=store, secret=secret)


def test_an_expired_token_and_a_disabled_owner_are_refused(sqlite_store: Store) -> None:
    add_user(store=sqlite_store, username="ops", password=PASSWORD, role="analyst", actor="test")
    secret, token = create_token(
        store=sqlite_store, username="ops", name="x", scopes=["read"], expires_in=timedelta(hours=1), actor="test"
    )
    assert token_principal(store=sqlite_store, secret=secret).user.role is Role.ANALYST
    with sqlite_store.engine.begin() as connection:
        connection.execute(
            text("UPDATE api_tokens SET expires_at = '2020-01-01 00:00:00.000000' WHERE id = :i"), {"i": token.id}
        )
    with pytest.raises(AuthenticationError):
        token_principal(store=sqlite_store, secret=secret)
    live, _ = create_token(store=sqlite_store, username="ops", name="y", scopes=["read"], actor="test")
    user = sqlite_store.get_user("ops")
    cookie, _ = start_session(store=sqlite_store, user=user, source=None)  # type: ignore[arg-type]
    assert session_for(store=sqlite_store, cookie=cookie) is not None
    set_disabled(store=sqlite_store, username="ops", disabled=True, actor="test")
    with pytest.raises(AuthenticationError):
        token_principal(store=sqlite_store, secret=live)
    assert session_for(store=sqlite_store, cookie=cookie) is None


def test_the_audit_log_keeps_every_change_and_refuses_to_be_rewritten(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    add_user(store=store, username="root", password=PASSWORD, role="admin", actor="cli:ops", source="127.0.0.1")
    secret, token = create_token(store=store, username="root", name="ci", scopes=["admin"], actor="cli:ops")
    revoke_token(store=store, token_id=token.id, actor="cli:ops")
    entries = list_audit(store=store)
    assert [e.action for e in entries] == ["token.revoke", "token.create", "user.add"]
    assert entries[-1].actor == "cli:ops" and entries[-1].source == "127.0.0.1"
    everything = " ".join(str(e.to_dict()) for e in entries) + caplog.text
    assert secret not in everything and PASSWORD not in everything
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'someone else'"))
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log"))
    assert len(list_audit(store=store)) == 3
