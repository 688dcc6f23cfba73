"""`carlzon worker` and `carlzon deliveries`: deliver the outbox's notices (webhooks, e-mail,
chat robots) with retries, and look at or re-queue what was sent."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from carlzon.cli._render import console, handle_errors, open_store, plain, settings_from
from carlzon.cli.common import DatabaseOption, WorkspaceOption
from carlzon.i18n import _

RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", help="Rules file with the notify channels and calendars (default: WORKSPACE/rules.yaml)."),
]


def rules_path(rules: Path | None, workspace: str | None) -> Path:
    from carlzon.errors import InputError

    path = rules or settings_from(workspace).workspace / "rules.yaml"
    if not path.is_file():
        raise InputError(f"no rules file at {path}; give one with --rules FILE (see docs/rules.md)")
    return path


@handle_errors
def worker(
    once: Annotated[
        bool, typer.Option("--once", help="One pass (SLA check, then deliver what is due) and exit: for cron.")
    ] = False,
    rules: RulesOption = None,
    interval: Annotated[float, typer.Option(help="Seconds between passes when nothing is due.", min=0.05)] = 2.0,
    lease: Annotated[
        float,
        typer.Option(
            help="Seconds a claimed notice is held; a worker killed mid-send leaves it to others after this.", min=1
        ),
    ] = 60.0,
    as_json: Annotated[bool, typer.Option("--json", help="With --once: print the pass as JSON.")] = False,
    follow: Annotated[
        bool,
        typer.Option(
            "--follow/--no-follow",
            help="Each check also analyses new feedback and applies the rules to it (feedback pushed to the "
            "API becomes a task within a minute).",
        ),
    ] = True,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Deliver notices and keep SLA clocks: long-running (stop with Ctrl-C), or --once from cron.

    Each check (every minute, and on --once) first files survey answers left half-way for a day as
    partial feedback, analyses the feedback that is new and applies the rules to it (--no-follow
    leaves that to carlzon analyze and carlzon rules apply), then
    recomputes the SLA clocks of open tasks (escalating a breach once per step) and runs the
    alerts; every pass sends every due notice: webhooks (Standard Webhooks signatures), e-mail, DingTalk, Feishu,
    WeCom, Slack. Failures retry on the schedule in the rules file's delivery section, then go to
    the dead letters (see: carlzon deliveries list --status dead).

    Example: carlzon worker --once

    Example: carlzon worker --rules rules.yaml --interval 1
    """
    from datetime import timedelta

    from carlzon.actions.delivery.worker import Deliverer, PassReport, run_pass, run_worker
    from carlzon.actions.rules import load_rules
    from carlzon.surveys.responses import file_abandoned_drafts

    path = rules_path(rules, workspace)
    settings = settings_from(workspace, database_url)
    with open_store(workspace, database_url) as store:
        ruleset = load_rules(path, store.get_journey(load_rules(path).journey))
        with Deliverer(store, ruleset, settings, lease=timedelta(seconds=lease)) as deliverer:
            if once:
                report = run_pass(deliverer, follow=follow, feeders=[file_abandoned_drafts])
                if as_json:
                    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
                else:
                    console.print(f"worker: one pass for {plain(path)}")
                    _print_pass(report)
                return
            stop = {"now": False}

            def _stop(signum: int, frame: object) -> None:
                stop["now"] = True

            signal.signal(signal.SIGTERM, _stop)
            signal.signal(signal.SIGINT, _stop)
            console.print(f"worker: delivering for {plain(path)} — stop with Ctrl-C")

            def _on_pass(report: PassReport) -> None:
                if report.claimed or report.opened or (report.sla and report.sla.escalated):
                    _print_pass(report)

            run_worker(
                deliverer,
                interval=interval,
                should_stop=lambda: stop["now"],
                on_pass=_on_pass,
                follow=follow,
                feeders=[file_abandoned_drafts],
            )
            console.print("worker: stopped")


def _print_pass(report: object) -> None:
    from carlzon.actions.delivery.worker import PassReport

    assert isinstance(report, PassReport)
    line = _(
        "%(delivered)s delivered, %(retrying)s to retry, %(dead)s dead-lettered, %(waiting)s waiting "
        "(rate limit, paused endpoint or a set-up problem below)"
    ) % {
        "delivered": f"{report.delivered:,}",
        "retrying": f"{report.retrying:,}",
        "dead": f"{report.dead:,}",
        "waiting": f"{report.deferred:,}",
    }
    if report.digests:
        line += f", {report.digests} digests"
    if report.fed:
        line += "; " + _("%(n)s survey answers left half-way filed as partial feedback") % {"n": f"{report.fed:,}"}
    if report.analysed or report.opened:
        line += "; " + _("%(n)s new records analysed, %(tasks)s tasks opened") % {
            "n": f"{report.analysed:,}",
            "tasks": f"{report.opened:,}",
        }
    if report.sla is not None:
        line += f"; SLA: {report.sla.checked:,} open tasks checked, {len(report.sla.escalated)} escalated"
    console.print(line)
    for error in dict.fromkeys(report.errors):
        console.print(f"[yellow]warning[/]: {plain(error)}")


deliveries_app = typer.Typer(
    help="Notices the worker delivers: every attempt, the dead letters, and re-queueing them.",
    no_args_is_help=True,
)


@deliveries_app.command("list")
@handle_errors
def list_(
    status: Annotated[str | None, typer.Option(help="pending, delivered or dead.")] = None,
    channel: Annotated[str | None, typer.Option(help="Only this channel's notices.")] = None,
    task: Annotated[int | None, typer.Option(help="Only this task's notices.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Newest this many notices.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print notices with their attempts as JSON.")] = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Notices newest first, each with every delivery attempt (time, HTTP status, error).

    Example: carlzon deliveries list --status dead
    """
    from carlzon.actions.models import NoticeStatus
    from carlzon.errors import InputError

    if status is not None and status not in {s.value for s in NoticeStatus}:
        raise InputError(f"unknown status {status!r}; use: {', '.join(s.value for s in NoticeStatus)}")
    with open_store(workspace, database_url) as store:
        notices = store.list_notices(status=status, channel=channel, task_id=task, limit=limit)
        attempts = store.delivery_attempts([n.id for n in notices])
        counts = store.notice_counts()
        states = store.endpoint_states()
    if as_json:
        rows = [n.to_dict() | {"attempts_log": [a.to_dict() for a in attempts.get(n.id, [])]} for n in notices]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    summary = ", ".join(f"{n:,} {s}" for s, n in sorted(counts.items())) or "none yet"
    filtered = status is not None or channel is not None or task is not None
    shown = f"{len(notices):,} {'matching ' if filtered else ''}notices shown, newest first"
    table = Table(title=f"{shown} (all notices: {summary})")
    for column in ("#", "channel", "event", "task", "status", "attempts", "last attempt"):
        table.add_column(column, overflow="fold")
    for notice in notices:
        tries = attempts.get(notice.id, [])
        last = tries[-1] if tries else None
        if last is None:
            described = notice.last_error or ""
        elif last.ok:
            described = f"{last.at:%Y-%m-%d %H:%M:%S} ok {last.status_code or ''}" + (
                " (digest)" if last.digest else ""
            )
        else:
            described = f"{last.at:%Y-%m-%d %H:%M:%S} {last.error or last.status_code}"
        table.add_row(
            str(notice.id),
            plain(notice.channel),
            notice.event_type,
            str(notice.task_id or ""),
            notice.status.value,
            str(len(tries)),
            plain(described),
        )
    console.print(table)
    for state in states.values():
        if state.disabled_at is not None:
            console.print(
                f"[yellow]channel {plain(state.channel)} is disabled[/] ({plain(state.disabled_reason)}); "
                f"carlzon deliveries retry --channel {plain(state.channel)} re-enables it"
            )


@deliveries_app.command()
@handle_errors
def retry(
    ids: Annotated[list[int] | None, typer.Argument(help="Dead notices to re-queue (default: every dead one).")] = None,
    channel: Annotated[str | None, typer.Option(help="Only this channel's dead notices.")] = None,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Put dead-lettered notices back in the queue with a fresh retry schedule; the worker sends
    them on its next pass. A channel disabled by its receiver (HTTP 410) is enabled again.

    Example: carlzon deliveries retry 12 13

    Example: carlzon deliveries retry --channel quality-webhook
    """
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    with open_store(workspace, database_url) as store:
        requeued = store.requeue_notices(ids, now, channel=channel)
        states = store.endpoint_states()
        enabled = sorted({n.channel for n in requeued if n.channel in states and states[n.channel].disabled_at})
        if channel and channel in states and states[channel].disabled_at:
            enabled = sorted({*enabled, channel})
        for name in enabled:
            store.set_endpoint_state(name)
    console.print(
        f"{len(requeued):,} notices re-queued; the worker sends them on its next pass (carlzon worker --once)"
    )
    for name in enabled:
        console.print(f"channel {plain(name)} enabled again")


@deliveries_app.command()
def secret() -> None:
    """Print a new random webhook signing secret (whsec_…) to put in the environment variable
    a webhook channel's secret_env names, and to give the receiver.

    Example: export QUALITY_WEBHOOK_SECRET=$(carlzon deliveries secret)
    """
    import base64
    import secrets

    print("whsec_" + base64.b64encode(secrets.token_bytes(32)).decode())
