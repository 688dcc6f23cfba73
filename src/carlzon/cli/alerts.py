"""`carlzon alerts check`: run the rules file's alerts (spikes against history, NPS floors)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from carlzon.cli._render import console, handle_errors, open_store, plain
from carlzon.cli.common import DatabaseOption, WorkspaceOption

app = typer.Typer(
    help="Alerts: a touchpoint at a store far worse than its own history, a store's NPS under a floor. "
    "Each says why and opens a task (the worker also runs them). See docs/rules.md.",
    no_args_is_help=True,
)


@app.command()
@handle_errors
def check(
    file: Annotated[Path, typer.Argument(help="Rules YAML file with an alerts section.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what fires; open no task.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Run every alert once; each that fires (once per alert, place and period) opens a task.

    Example: carlzon alerts check rules.yaml --dry-run
    """
    from carlzon.actions.alerting import check_alerts
    from carlzon.actions.rules import load_rules

    with open_store(workspace, database_url) as store:
        rules = load_rules(file, store.get_journey(load_rules(file).journey))
        report = check_alerts(store=store, rules=rules, dry_run=dry_run)
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    if not rules.alerts:
        console.print(
            f"{plain(file)} has no alerts section; see docs/rules.md (Alerts) for negative_spike and nps_below"
        )
        return
    console.print(f"{report.checked} alerts checked, {len(report.fired)} fired" + (" (dry run)" if dry_run else ""))
    for fired in report.fired:
        task = f" → task {fired.task_id}" if fired.task_id else ""
        console.print(f"- {plain(fired.alert_id)}: {plain(fired.reason)}{task}")
