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
    from carlzon.i18n import _

    analysed = (
        _("%(n)s touchpoint mentions") % {"n": result.analysis.mentions}
        if result.analysis.records
        else _("all already analysed")
    )
    console.print(
        _("imported %(new)s new records (%(old)s already there), %(analysed)s")
        % {"new": result.loaded.imported, "old": result.loaded.duplicates, "analysed": analysed}
    )
    console.print(
        _(
            "service conversations: %(new)s imported (%(old)s already there), mean QA score %(score)s; "
            "coaching: carlzon qa report"
        )
        % {
            "new": result.conversations.imported,
            "old": result.conversations.duplicates,
            "score": f"{result.conversations.mean_score or 0:.0f}",
        }
    )
    opened = [task_id for rule in result.tasks.rules for task_id in rule.created]
    critical = sum(len(rule.created) for rule in result.tasks.rules if rule.priority == "critical")
    console.print(
        _("rules (%(file)s) opened %(n)s tasks, %(critical)s of them critical: carlzon tasks list")
        % {"file": plain(result.rules), "n": len(opened), "critical": critical}
    )
    console.print(
        _(
            "SLA clocks: %(n)s open tasks counted in their department's working hours, %(breached)s past a "
            "target, %(escalated)s escalated; carlzon worker keeps them and delivers notices (docs/rules.md)"
        )
        % {"n": result.sla.checked, "breached": result.sla.breached, "escalated": len(result.sla.escalated)}
    )
    console.print(
        _("survey published with %(n)s answers (carlzon surveys results catering-visit), its QR code: %(qr)s")
        % {"n": result.survey_answers, "qr": plain(result.survey_qr)}
    )
    console.print(_("database: %(url)s") % {"url": plain(result.database_url)})
    user, password = result.login
    console.print(
        _("web app: carlzon serve -w %(ws)s, then sign in at http://127.0.0.1:8000/ as %(user)s / %(password)s")
        % {"ws": plain(result.workspace), "user": user, "password": password}
    )
    console.print(_("open the report:"))
    print(result.report)
