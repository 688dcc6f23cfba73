"""`carlzon rules`: check a rules file, and try it on the stored feedback without writing anything."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from carlzon.cli._render import console, handle_errors, open_store, plain, progress_bar, settings_from
from carlzon.cli.common import DatabaseOption, WorkspaceOption
from carlzon.i18n import _

app = typer.Typer(
    help="Rules that turn feedback into tasks: when (touchpoint, sentiment, severity, keywords, ...) → then "
    "(a task for a department, priority, SLA, who to notify). See docs/rules.md.",
    no_args_is_help=True,
)

RulesFile = Annotated[Path, typer.Argument(help="Rules YAML file (see docs/rules.md).")]


@app.command()
@handle_errors
def validate(
    file: RulesFile,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Check a rules file: every problem as file:line: field: message (exit code 2).

    The touchpoint and stage ids are checked against the journey the file names when it is stored
    in the database.

    Example: carlzon rules validate rules.yaml
    """
    from carlzon.actions.rules import load_rules
    from carlzon.errors import NotFoundError, RulesFileError
    from carlzon.storage import Store

    rules = load_rules(file)
    checked = "not checked against a journey (no database yet)"
    store = Store.from_settings(settings_from(workspace, database_url))
    try:
        if store.is_initialised():
            try:
                load_rules(file, store.get_journey(rules.journey))
                checked = f"touchpoints checked against journey '{plain(rules.journey)}'"
            except NotFoundError:
                stored = store.list_journey_ids()
                if stored:  # a typo, most likely: the rules would never match anything
                    raise RulesFileError(
                        str(file),
                        [
                            (
                                _journey_line(file),
                                "journey",
                                f"no journey '{rules.journey}' is stored; stored: {', '.join(stored)}",
                            )
                        ],
                    ) from None
                checked = f"journey '{plain(rules.journey)}' is not stored, so its touchpoints were not checked"
    finally:
        store.dispose()
    console.print(f"[green]ok[/]: {plain(file)} — {len(rules.rules)} rules; {checked}")


def _journey_line(file: Path) -> int | None:
    """The line of the file's top-level ``journey:`` key."""
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("journey:"):
            return number
    return None


@app.command("test")
@handle_errors
def test_(
    file: RulesFile,
    since: Annotated[
        str | None, typer.Option(help="Only feedback created since: a span (30d, 12h, 2w) or a date (2026-11-01).")
    ] = "30d",
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON (the web API's shape).")] = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Dry run: what each rule would do over the stored, analysed feedback. Nothing is written.

    Prints per rule the records it matches, the tasks it would open (matches of the same customer,
    or of the same touchpoint and store, within the rule's dedupe window join one task) and sample
    texts with their severity and why.

    Example: carlzon rules test rules.yaml --since 30d

    Example: carlzon rules test rules.yaml --since 2026-11-01 --json
    """
    from carlzon.actions.rules import load_rules
    from carlzon.actions.service import dry_run_rules, parse_since

    start = parse_since(since)
    with open_store(workspace, database_url) as store:
        rules = load_rules(file, store.get_journey(load_rules(file).journey))
        if as_json:
            report = dry_run_rules(store=store, rules=rules, since=start)
            print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
            return
        with progress_bar("Testing rules") as update:
            report = dry_run_rules(store=store, rules=rules, since=start, on_progress=update)
        newest = store.newest_feedback_at() if report.records == 0 and start is not None else None
    window = f"since {start:%Y-%m-%d %H:%M} UTC" if start else "all time"
    table = Table(title=f"Rules over {report.records:,} analysed records ({window}); no task was written")
    for column in ("rule", "department", "priority", "matches", "tasks", "sample"):
        table.add_column(column, overflow="fold")
    for rule in report.rules:
        sample = rule.samples[0] if rule.samples else None
        shown = f"{plain(f'[{sample.severity}]')} {plain(sample.text[:120])}" if sample else ""
        table.add_row(
            plain(rule.rule_id), plain(rule.department), rule.priority, f"{rule.matches:,}", f"{rule.tasks:,}", shown
        )
    console.print(table)
    severities = ", ".join(f"{name} {count:,}" for name, count in report.by_severity.items())
    console.print(f"severity of the records: {severities}")
    if newest is not None:
        console.print(
            f"[yellow]no analysed feedback since {start:%Y-%m-%d}:[/] the newest record is from {newest:%Y-%m-%d}; "
            f"try --since {newest:%Y-%m-%d} (or --since '' for all time)"
        )


@app.command()
@handle_errors
def apply(
    file: RulesFile,
    since: Annotated[
        str, typer.Option(help="On a rule's first run, the records created since this (later runs: what is new).")
    ] = "7d",
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON (the web API's shape).")] = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Apply the rules to the analysed feedback each rule has not seen yet, opening tasks.

    A match joins the rule's open task for the same customer (or the same touchpoint and store)
    within its dedupe window; otherwise it opens a task for the department, due by the SLA. Run it
    after each carlzon analyze (or from cron); see the tasks with carlzon tasks list.

    Example: carlzon rules apply rules.yaml
    """
    from datetime import UTC, datetime, timedelta

    from carlzon.actions.rules import load_rules
    from carlzon.actions.service import apply_rules, parse_since

    now = datetime.now(UTC)
    start = parse_since(since, now=now)
    with open_store(workspace, database_url) as store:
        rules = load_rules(file, store.get_journey(load_rules(file).journey))
        everything = timedelta(days=365 * 100)  # --since '': the whole history on a first run
        report = apply_rules(store=store, rules=rules, now=now, first_since=now - start if start else everything)
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    for rule in report.rules:
        console.print(
            _("%(rule)s: %(matches)s new matches → %(opened)s tasks opened, %(joined)s joined an open task")
            % {
                "rule": plain(rule.rule_id),
                "matches": f"{rule.matches:,}",
                "opened": f"{len(rule.created):,}",
                "joined": f"{rule.joined:,}",
            }
        )
    console.print(_("see them with: carlzon tasks list"))
