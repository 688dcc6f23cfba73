"""`carlzon analyze` and `carlzon report`: analyse stored feedback and write the HTML report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from carlzon.analysis.defaults import CHUNK, SAMPLE
from carlzon.cli._render import (
    console,
    ensure_models,
    err_console,
    handle_errors,
    load_modules,
    open_store,
    plain,
    progress_bar,
    settings_from,
)
from carlzon.cli.common import DatabaseOption, WorkspaceOption
from carlzon.i18n import _

JourneyOption = Annotated[str, typer.Option("--journey", "-j", help="Id of a stored journey.")]


@handle_errors
def analyze(
    journey: JourneyOption = "catering",
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
    redo_all: Annotated[
        bool,
        typer.Option("--all", help="Analyse every stored record again, not only those new since the last run."),
    ] = False,
    engine: Annotated[
        str,
        typer.Option(
            help="local: this machine's cores; dask: a dask.distributed cluster (pip install 'carlzon[dask]')."
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (default with --engine dask: a cluster of this machine's cores)."
        ),
    ] = None,
    staging: Annotated[
        Path | None,
        typer.Option(
            help="Folder for the Parquet partitions the Dask workers read; on a cluster of several machines, a folder they all mount (default: a temporary folder)."
        ),
    ] = None,
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
    aspect_model: Annotated[
        Path | None,
        typer.Option(
            help="A model from carlzon train aspects: it reads the polarity of touchpoint mentions whose opinion words say nothing."
        ),
    ] = None,
    chunk_size: Annotated[
        int,
        typer.Option(min=1, help="Records analysed and committed together (an interrupted run keeps whole chunks)."),
    ] = CHUNK,
    sample_size: Annotated[
        int,
        typer.Option(
            min=1,
            help="At most this many records (a seeded sample, stratified by channel) teach the self-trained sentiment classifier.",
        ),
    ] = SAMPLE,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run's summary as JSON.")] = False,
) -> None:
    """Analyse stored feedback against a journey: language, sentiment, touchpoints.

    Only records without an analysis under the journey's current version are analysed (the version is a hash of the journey's keyword taxonomy and of the analyzers and model files in use): a second run after an import analyses just the new records, and a changed journey or another model re-analyses everything. An interrupted run (Ctrl-C, kill) is resumed by the next one. Records are read and written in chunks, so memory stays flat however large the store.

    Example: carlzon analyze --journey catering

    Example: carlzon analyze --journey airline --touchpoint-model models/airline-touchpoints.npz

    Example: carlzon analyze --journey catering --engine dask --scheduler tcp://10.0.0.5:8786 --staging /mnt/shared/carlzon
    """
    load_modules("carlzon.analysis.service", "carlzon.analysis.sentiment.prior")  # heavy: when the command runs
    from carlzon.analysis.service import analyse_journey

    ensure_models()
    with open_store(workspace, database_url) as store, progress_bar("Analysing") as on_progress:
        summary = analyse_journey(
            store=store,
            journey_id=journey,
            redo_all=redo_all,
            engine=engine,
            scheduler=scheduler,
            staging=staging,
            chunk=chunk_size,
            sample=sample_size,
            on_progress=on_progress,
            touchpoint_model=touchpoint_model,
            sentiment_model=sentiment_model,
            aspect_model=aspect_model,
        )
    if as_json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False))
        return
    if summary.resumed:
        console.print(_("resumed analysis run %(run)s, which had been interrupted") % {"run": summary.run_id})
    if summary.run_id == 0:
        console.print(
            _(
                "nothing new to analyse: all %(n)s records are analysed under the current version "
                "(use --all to analyse them again)"
            )
            % {"n": f"{summary.already_analysed:,}"}
        )
    else:
        console.print(
            _(
                "analysed %(n)s records (%(old)s were already analysed): %(mentions)s touchpoint mentions, "
                "%(untagged)s records matched no touchpoint"
            )
            % {
                "n": f"{summary.records:,}",
                "old": f"{summary.already_analysed:,}",
                "mentions": f"{summary.mentions:,}",
                "untagged": f"{summary.untagged:,}",
            }
        )
    for note in summary.notes:
        err_console.print(f"[yellow]{_('note:')}[/] {plain(note)}")


@handle_errors
def report(
    journey: JourneyOption = "catering",
    brand: Annotated[str | None, typer.Option(help="Brand to report on (default: the one with most feedback).")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output file (default: WORKSPACE/report.html).")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="zh-Hans, zh-Hant or en (default: $CARLZON_LANG, else en).")
    ] = None,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Write the self-contained HTML report (journey map, moments of truth, pain and delight points).

    Example: carlzon report --journey catering --brand "Red Lantern 红灯笼" --out report.html

    Example: carlzon report --lang zh-Hans --out 报告.html
    """
    from carlzon.errors import InputError
    from carlzon.i18n import LANGUAGES, normalise

    load_modules("carlzon.reports")  # heavy (plotly, scipy): imported when the command runs
    from carlzon.reports import write_report
    from carlzon.storage import Store

    settings = settings_from(workspace, database_url)
    language = normalise(lang or settings.lang or "en")
    if language is None:
        raise InputError(f"--lang {lang!r}: use one of {', '.join(LANGUAGES)}")
    store = Store.from_settings(settings)
    try:
        store.check_schema()
        path = write_report(
            store=store,
            journey_id=journey,
            out=out or settings.workspace / "report.html",
            brand=brand,
            language=language,
        )
    finally:
        store.dispose()
    console.print(_("report written: %(path)s") % {"path": f"[bold]{plain(path.resolve())}[/]"})
