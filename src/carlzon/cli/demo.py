"""`carlzon demo`: the main job end to end on bundled synthetic data."""

from __future__ import annotations

from typing import Annotated

import typer

from carlzon.cli._render import console, ensure_models, err_console, handle_errors, plain, progress_bar, settings_from
from carlzon.cli.common import WorkspaceOption


@handle_errors
def demo(
    workspace: WorkspaceOption = None,
    count: Annotated[
        int | None, typer.Option(min=100, help="How many synthetic feedback records to generate (default: 2,400).")
    ] = None,
) -> None:
    """Run the whole job on bundled SYNTHETIC restaurant feedback and write report.html.

    Creates the workspace and its SQLite database, loads the catering journey, generates and imports the example feedback (fixed seed, planted patterns), analyses it and writes the report. Running it again adds nothing: the records are already there.

    Example: carlzon demo --workspace ./carlzon-workspace
    """
    from carlzon.demo import run_demo  # heavy: imported when the command runs
    from carlzon.demo.generate import DEFAULT_COUNT

    settings = settings_from(workspace)
    ensure_models()
    with progress_bar("Analysing") as on_progress:
        result = run_demo(
            settings,
            count=count or DEFAULT_COUNT,
            on_step=lambda m: err_console.print(f"[dim]•[/] {plain(m)}"),
            on_progress=on_progress,
        )
    analysed = f"{result.analysis.mentions} touchpoint mentions" if result.analysis.records else "all already analysed"
    console.print(
        f"imported {result.loaded.imported} new records ({result.loaded.duplicates} already there), {analysed}"
    )
    opened = [task_id for rule in result.tasks.rules for task_id in rule.created]
    critical = sum(len(rule.created) for rule in result.tasks.rules if rule.priority == "critical")
    console.print(
        f"rules ({plain(result.rules)}) opened {len(opened)} tasks, {critical} of them critical: carlzon tasks list"
    )
    console.print(
        f"SLA clocks: {result.sla.checked} open tasks counted in their department's working hours, "
        f"{result.sla.breached} past a target, {len(result.sla.escalated)} escalated; "
        "carlzon worker keeps them and delivers notices (docs/rules.md)"
    )
    console.print(f"database: {plain(result.database_url)}")
    console.print("open the report:")
    print(result.report)
