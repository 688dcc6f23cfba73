"""`carlzon import` and `carlzon quarantine`: customer voice in, every row accounted for."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from carlzon.cli._render import console, handle_errors, open_store, plain
from carlzon.cli.common import DatabaseOption, WorkspaceOption
from carlzon.i18n import _
from carlzon.ingest.fields import FIELDS

if TYPE_CHECKING:
    from carlzon.ingest.service import ImportReport


def _byte_progress():  # type: ignore[no-untyped-def]
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    from carlzon.cli._render import err_console

    return Progress(
        TextColumn("[bold blue]Importing"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err_console,
    )


@handle_errors
def import_(
    file: Annotated[Path, typer.Argument(help="CSV, TSV, Excel (.xlsx), JSON Lines or JSON array file.")],
    channel: Annotated[
        str | None,
        typer.Option(
            help="Channel of every row (call_centre, chat, app_review, ecommerce_review, social, store, survey, email, other) unless the file has a channel column."
        ),
    ] = None,
    brand: Annotated[
        str | None,
        typer.Option(help="Brand of every row (own, or a competitor's name) unless the file has a brand column."),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help=f"FIELD=COLUMN, repeatable. Fields: {', '.join(FIELDS)}. Unmapped fields are found by name (text/comment/评论…).",
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(help="Mapping YAML: columns: {text: comment, nps: score}, channel:, brand:, timezone:."),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(help="Force the encoding: utf-8, utf-8-sig, gb18030, gbk or big5 (default: detected)."),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(help="Time zone of dates written without one (default UTC), e.g. Asia/Shanghai."),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option(help="Excel: the sheet to import (needed when the workbook has several).")
    ] = None,
    dayfirst: Annotated[
        bool | None,
        typer.Option(
            "--dayfirst/--monthfirst",
            help="How to read 01/02/2026: 1 February (--dayfirst) or 2 January (--monthfirst). Unset: such dates "
            "are quarantined rather than guessed.",
        ),
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Name this source for de-duplication (default: the file name).")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="csv, tsv, xlsx, jsonl or json (default: from the extension)."),
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per committed transaction.")] = 5000,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Import feedback from a file; every row is imported, recognised as a duplicate, or quarantined with its reason.

    Importing the same file again adds nothing; an import that was interrupted resumes after its last committed batch.

    Example: carlzon import calls.csv --channel call_centre --brand own --map text=comment --map nps=score --map id=ticket_no
    """
    from carlzon.ingest.mapping import Mapping
    from carlzon.ingest.service import check_feedback_file, import_source

    parsed = Mapping.from_options(
        map_, mapping_file=mapping, channel=channel, brand=brand, timezone=timezone, dayfirst=dayfirst
    )
    check_feedback_file(file)  # before a database is created or a progress bar drawn
    with open_store(workspace, database_url, migrate=True) as store, _byte_progress() as progress:
        task = progress.add_task("import", total=file.stat().st_size)
        report = import_source(
            file,
            store=store,
            mapping=parsed,
            source=source,
            encoding=encoding,
            fmt=fmt,
            batch_size=batch_size,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
            sheet=sheet,
        )
    _print_report(report)


def _print_report(report: ImportReport) -> None:
    table = Table(title=f"{plain(report.path)} ({report.format}, {report.encoding})", show_header=True)
    for column in (_("read"), _("imported"), _("duplicates"), _("quarantined")):
        table.add_column(column, justify="right")
    table.add_row(*(f"{n:,}" for n in (report.read, report.imported, report.duplicates, report.quarantined)))
    console.print(table)
    if report.resumed_from:
        console.print(_("resumed an interrupted import after row %(row)s") % {"row": f"{report.resumed_from:,}"})
    rate = report.read / report.seconds if report.seconds else 0
    console.print(_("%(seconds)s s, %(rate)s rows/s") % {"seconds": f"{report.seconds:.1f}", "rate": f"{rate:,.0f}"})
    if report.quarantined:
        console.print(_("see why with: carlzon quarantine list; fix with: carlzon quarantine export / retry"))


quarantine_app = typer.Typer(
    help="Rows that could not be imported: list them, export them to fix, retry them.", no_args_is_help=True
)


@quarantine_app.command("list")
@handle_errors
def quarantine_list(
    source: Annotated[str | None, typer.Option(help="Only rows from this source (file name).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include rows already resolved.")] = False,
    limit: Annotated[int, typer.Option(help="Show at most this many rows.")] = 50,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """List quarantined rows with their file, row number, field and reason.

    Example: carlzon quarantine list --source calls.csv
    """
    with open_store(workspace, database_url) as store:
        rows = store.list_quarantine(status=None if all_ else "open", source=source)
    table = Table(title=f"{len(rows):,} quarantined row(s)")
    for column in ("id", "source", "row", "field", "reason", "status"):
        table.add_column(column)
    for row in rows[:limit]:
        table.add_row(
            str(row.id), *(plain(cell) for cell in (row.source, row.row_number, row.field, row.reason)), row.status
        )
    console.print(table)
    if len(rows) > limit:
        console.print(f"… {len(rows) - limit:,} more; use --limit or carlzon quarantine export")


@quarantine_app.command("export")
@handle_errors
def quarantine_export(
    out: Annotated[Path, typer.Option("--out", "-o", help="CSV file to write.")],
    source: Annotated[str | None, typer.Option(help="Only rows from this source.")] = None,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Write open quarantined rows (raw values plus _field and _reason) to a CSV you can fix and retry.

    Example: carlzon quarantine export --out to_fix.csv
    """
    with open_store(workspace, database_url) as store:
        from carlzon.ingest.service import export_quarantine

        count = export_quarantine(store=store, out=out, source=source)
    console.print(
        f"wrote {count:,} row(s) to {plain(out)}; fix them, then: carlzon quarantine retry {plain(out)} "
        f"(rows of service conversations: carlzon qa import {plain(out)})"
    )


@quarantine_app.command("retry")
@handle_errors
def quarantine_retry(
    fixed: Annotated[
        Path | None, typer.Argument(help="An edited export; without it the stored rows are re-checked.")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Only rows from this source.")] = None,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Re-check quarantined rows and import those that now pass.

    Rows of service conversations are left as they are: a conversation comes back whole through
    carlzon qa import (the fixed file, or this export's CSV).

    Example: carlzon quarantine retry to_fix.csv
    """
    with open_store(workspace, database_url) as store:
        from carlzon.ingest.service import retry_quarantine

        report = retry_quarantine(store=store, fixed_file=fixed, source=source)
    console.print(
        f"retried {report.tried:,}: imported {report.imported:,}, duplicates {report.duplicates:,}, "
        f"still quarantined {report.still_quarantined:,}"
    )
    if report.conversation_rows:
        console.print(
            f"{report.conversation_rows:,} row(s) of service conversations left as they are: fix them in the file "
            "(or in carlzon quarantine export's CSV) and run carlzon qa import on it again"
        )
