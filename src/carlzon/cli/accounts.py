"""`carlzon users`, `carlzon tokens`, `carlzon audit`: who may use the web app and the API, with
which rights, and the append-only log of every change."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from carlzon.cli._render import console, handle_errors, open_store, plain
from carlzon.cli.common import DatabaseOption, WorkspaceOption

users_app = typer.Typer(
    help="People who sign in to the web app (carlzon serve) and own API tokens. Roles: admin, analyst, "
    "member (of one department: sees and works only its tasks), viewer. The first admin: "
    "carlzon users add NAME --admin",
    no_args_is_help=True,
)
tokens_app = typer.Typer(
    help="API tokens (Authorization: Bearer czt_…): shown once, stored hashed, with scopes "
    "(read, feedback:write, tasks:write, admin) that never exceed the owner's role; optional expiry; revocable.",
    no_args_is_help=True,
)
audit_app = typer.Typer(help="The append-only audit log: who changed what, when, from where.", no_args_is_help=True)

Username = Annotated[str, typer.Argument(help="User name (letters, digits, . _ @ + -).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON (the web API's shape).")]


def _cli_actor() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in this environment (a container)
        return "cli"


def _password(from_stdin: bool, *, needed: bool) -> str | None:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        return password or None
    if not needed:
        return None
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input.")
]


@users_app.command("add")
@handle_errors
def users_add(
    username: Username,
    role: Annotated[str, typer.Option(help="admin, analyst, member or viewer.")] = "viewer",
    admin: Annotated[bool, typer.Option("--admin", help="Make this user an admin (same as --role admin).")] = False,
    department: Annotated[str | None, typer.Option(help="The member's department (as the journey names it).")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
    language: Annotated[str | None, typer.Option(help="Preferred language: zh-Hans, zh-Hant or en.")] = None,
    password_stdin: PasswordStdin = False,
    no_password: Annotated[
        bool, typer.Option("--no-password", help="No password: the user cannot sign in, only own tokens.")
    ] = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Add a user; asks for the password twice (or reads it with --password-stdin).

    Example: carlzon users add alice --admin

    Example: carlzon users add chen --role member --department Kitchen --language zh-Hans
    """
    from carlzon.accounts.service import add_user

    password = None if no_password else _password(password_stdin, needed=True)
    with open_store(workspace, database_url, migrate=True) as store:  # the first admin may come first
        user = add_user(
            store=store,
            username=username,
            password=password,
            role="admin" if admin else role,
            department=department,
            display_name=name,
            language=language,
            actor=_cli_actor(),
        )
    where = f" in {plain(user.department)}" if user.department else ""
    console.print(f"added {plain(user.username)} ({user.role.value}{where})")


@users_app.command("list")
@handle_errors
def users_list(as_json: AsJson = False, workspace: WorkspaceOption = None, database_url: DatabaseOption = None) -> None:
    """List users with their roles and departments.

    Example: carlzon users list
    """
    from carlzon.accounts.service import list_users

    with open_store(workspace, database_url) as store:
        users = list_users(store=store)
    if as_json:
        print(json.dumps([u.to_dict() for u in users], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(users)} users")
    for column in ("user", "role", "department", "name", "language", "status", "since"):
        table.add_column(column)
    for user in users:
        table.add_row(
            plain(user.username),
            user.role.value,
            plain(user.department or ""),
            plain(user.display_name or ""),
            user.language or "",
            "disabled" if user.disabled else "active",
            f"{user.created_at:%Y-%m-%d}",
        )
    console.print(table)


@users_app.command("disable")
@handle_errors
def users_disable(
    username: Username,
    enable: Annotated[bool, typer.Option("--enable", help="Enable the user again instead.")] = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Disable a user: their sessions end and their tokens stop working at once (--enable undoes it).

    Example: carlzon users disable chen
    """
    from carlzon.accounts.service import set_disabled

    with open_store(workspace, database_url) as store:
        user = set_disabled(store=store, username=username, disabled=not enable, actor=_cli_actor())
    console.print(f"{plain(user.username)} is {'disabled' if user.disabled else 'active'}")


@users_app.command("set-role")
@handle_errors
def users_set_role(
    username: Username,
    role: Annotated[str, typer.Argument(help="admin, analyst, member or viewer.")],
    department: Annotated[str | None, typer.Option(help="The department (needed for a member).")] = None,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Change a user's role (and department).

    Example: carlzon users set-role chen member --department Service
    """
    from carlzon.accounts.service import set_role

    with open_store(workspace, database_url) as store:
        user = set_role(store=store, username=username, role=role, department=department, actor=_cli_actor())
    where = f" in {plain(user.department)}" if user.department else ""
    console.print(f"{plain(user.username)} is now {user.role.value}{where}")


@users_app.command("set-password")
@handle_errors
def users_set_password(
    username: Username,
    password_stdin: PasswordStdin = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Set a user's password (asked twice, or read with --password-stdin).

    Example: carlzon users set-password chen
    """
    from carlzon.accounts.service import set_password

    password = _password(password_stdin, needed=True) or ""
    with open_store(workspace, database_url) as store:
        set_password(store=store, username=username, password=password, actor=_cli_actor())
    console.print(f"password of {plain(username)} changed")


@tokens_app.command("create")
@handle_errors
def tokens_create(
    user: Annotated[str, typer.Option("--user", help="The token's owner.")],
    scope: Annotated[
        list[str] | None,
        typer.Option("--scope", help="read, feedback:write, tasks:write or admin (repeat; default read)."),
    ] = None,
    name: Annotated[str, typer.Option(help="What the token is for (shown in tokens list).")] = "api",
    expires: Annotated[str | None, typer.Option(help="Lifetime such as 30d, 12h or 1w (default: none).")] = None,
    as_json: AsJson = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Create an API token and print it once: copy it now, it is stored only as a hash.

    Example: carlzon tokens create --user callcentre --scope feedback:write --name "call centre" --expires 90d

    Then: curl -H "Authorization: Bearer czt_…" http://127.0.0.1:8000/api/v1/journeys
    """
    from carlzon.accounts.service import create_token
    from carlzon.actions.fields import parse_duration
    from carlzon.errors import InputError

    try:
        lifetime = parse_duration(expires.strip().lower()) if expires else None
    except ValueError as exc:
        raise InputError(f"--expires {expires!r}: {exc}") from None
    with open_store(workspace, database_url) as store:
        secret, token = create_token(
            store=store, username=user, name=name, scopes=scope or ["read"], expires_in=lifetime, actor=_cli_actor()
        )
    if as_json:
        print(json.dumps({"token": secret, **token.to_dict()}, ensure_ascii=False, indent=2))
        return
    print(secret)
    until = f", expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else ""
    console.print(
        f"token {token.id} for {plain(token.username)} ({', '.join(s.value for s in token.scopes)}{until}); "
        "it is shown only this once",
        highlight=False,
    )


@tokens_app.command("list")
@handle_errors
def tokens_list(
    user: Annotated[str | None, typer.Option("--user", help="Only this user's tokens.")] = None,
    as_json: AsJson = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """List tokens by their prefix, with scopes, expiry and last use (never the secret).

    Example: carlzon tokens list --user callcentre
    """
    from datetime import UTC, datetime

    from carlzon.accounts.service import list_tokens

    with open_store(workspace, database_url) as store:
        tokens = list_tokens(store=store, username=user)
    if as_json:
        print(json.dumps([t.to_dict() for t in tokens], ensure_ascii=False, indent=2))
        return
    now = datetime.now(UTC)
    table = Table(title=f"{len(tokens)} tokens")
    for column in ("#", "user", "name", "prefix", "scopes", "expires", "last used", "status"):
        table.add_column(column)
    for token in tokens:
        if token.revoked_at is not None:
            status = "revoked"
        elif token.expires_at is not None and token.expires_at <= now:
            status = "expired"
        else:
            status = "active"
        table.add_row(
            str(token.id),
            plain(token.username),
            plain(token.name),
            f"{token.prefix}…",
            ", ".join(s.value for s in token.scopes),
            f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "never",
            f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "",
            status,
        )
    console.print(table)


@tokens_app.command("revoke")
@handle_errors
def tokens_revoke(
    token_id: Annotated[int, typer.Argument(help="Token number (see: carlzon tokens list).")],
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Revoke a token: it is refused from the next request on.

    Example: carlzon tokens revoke 3
    """
    from carlzon.accounts.service import revoke_token

    with open_store(workspace, database_url) as store:
        token = revoke_token(store=store, token_id=token_id, actor=_cli_actor())
    console.print(f"token {token.id} ({token.prefix}…, {plain(token.username)}) revoked")


@audit_app.command("list")
@handle_errors
def audit_list(
    since: Annotated[str | None, typer.Option(help="Only since: 30d, 12h, 2w or a date (default: all).")] = None,
    actor: Annotated[str | None, typer.Option(help="Only changes by this user (name prefix).")] = None,
    action: Annotated[str | None, typer.Option(help="Only this kind (prefix: user, token, task, feedback…).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 100,
    as_json: AsJson = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """List the audit log, newest first.

    Example: carlzon audit list --since 7d --action token
    """
    from carlzon.accounts.service import list_audit
    from carlzon.actions.service import parse_since

    with open_store(workspace, database_url) as store:
        entries = list_audit(store=store, since=parse_since(since), actor=actor, action=action, limit=limit)
    if as_json:
        print(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(entries)} changes (newest first)")
    for column in ("when (UTC)", "who", "what", "on", "from", "detail"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        table.add_row(
            f"{entry.at:%Y-%m-%d %H:%M:%S}",
            plain(entry.actor),
            entry.action,
            plain(entry.target or ""),
            plain(entry.source or ""),
            plain(json.dumps(entry.detail, ensure_ascii=False)) if entry.detail else "",
        )
    console.print(table)
