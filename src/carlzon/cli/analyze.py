"""`carlzon analyze` and `carlzon report`: analyse stored feedback and write the HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carlzon.cli._render import console, ensure_models, handle_errors, open_store, plain, progress_bar, settings_from
from carlzon.cli.common import DatabaseOption, WorkspaceOption
from carlzon.storage import Store

JourneyOption = Annotated[str, typer.Option("--journey", "-j", help="Id of a stored journey.")]


@handle_errors
def analyze(
    journey: JourneyOption = "catering",
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
    touchpoint_model: Annotated[
        Path | None,
        typer.Option(
            help="A model from carlzon train touchpoints: its predictions join the journey's keyword taxonomy."
        ),
    ] = None,
    sentiment_model: Annotated[
        Path | None,
        typer.Option(help="A model from carlzon train sentiment: it names each text's sentiment label."),
    ] = None,
) -> None:
    """Analyse all stored feedback against a journey: language, sentiment, touchpoints.

    Example: carlzon analyze --journey catering

    Example: carlzon analyze --journey airline --touchpoint-model models/airline-touchpoints.joblib
    """
    from carlzon.analysis.service import analyse_journey  # heavy: imported when the command runs

    ensure_models()
    with open_store(workspace, database_url) as store, progress_bar("Analysing") as on_progress:
        summary = analyse_journey(
            store=store,
            journey_id=journey,
            on_progress=on_progress,
            touchpoint_model=touchpoint_model,
            sentiment_model=sentiment_model,
        )
    console.print(
        f"analysed {summary.records} records: {summary.mentions} touchpoint mentions, "
        f"{summary.untagged} records matched no touchpoint"
    )


@handle_errors
def report(
    journey: JourneyOption = "catering",
    brand: Annotated[str | None, typer.Option(help="Brand to report on (default: the one with most feedback).")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output file (default: WORKSPACE/report.html).")
    ] = None,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Write the self-contained HTML report (journey map, moments of truth, pain and delight points).

    Example: carlzon report --journey catering --brand "Red Lantern 红灯笼" --out report.html
    """
    from carlzon.reports import write_report  # heavy (plotly, scipy): imported when the command runs

    settings = settings_from(workspace, database_url)
    store = Store.from_settings(settings)
    try:
        store.check_schema()
        path = write_report(store=store, journey_id=journey, out=out or settings.workspace / "report.html", brand=brand)
    finally:
        store.dispose()
    console.print(f"report written: [bold]{plain(path.resolve())}[/]")
