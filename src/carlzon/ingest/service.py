"""import_source: a file of customer voice into the store, every row accounted for.

Every row read ends as exactly one of: imported, duplicate (same source + external id, or
same content when the file has no id), or quarantined with its row number, field and
reason. Rows are committed in batches together with the run's checkpoint, so an import
killed at any moment resumes, when run again on the same file, after the last committed
batch.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carlzon.errors import InputError, NotFoundError
from carlzon.files import from_spreadsheet_safe, output_file, spreadsheet_safe
from carlzon.ingest.batches import validated_batches
from carlzon.ingest.mapping import Mapping, RowValidator
from carlzon.ingest.pipeline import in_child_process
from carlzon.ingest.readers import ENCODINGS, FORMATS, detect_encoding, detect_format, sniff_content
from carlzon.ingest.values import UNSTORABLE, RowRejected
from carlzon.privacy.policy import REDACTED_KEY, without_marks
from carlzon.storage.store import Store

ProgressCallback = Callable[[int, int], None]
DEFAULT_BATCH = 5000
PARALLEL_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class ImportReport:
    """The outcome of one import: read = imported + duplicates + quarantined, always."""

    source: str
    path: str
    run_id: int
    encoding: str
    format: str
    read: int
    imported: int
    duplicates: int
    quarantined: int
    resumed_from: int
    seconds: float

    @property
    def balanced(self) -> bool:
        """True when every row read is accounted for."""
        return self.read == self.imported + self.duplicates + self.quarantined


def format_and_encoding(path: Path, fmt: str | None, encoding: str | None) -> tuple[str, str]:
    """The file's format and encoding, as given or detected; a clear error for one Carlzon does not
    read, or for bytes that are not of the format (an Excel file renamed .csv)."""
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise InputError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    sniff_content(path, fmt)
    if encoding is not None and encoding.lower() not in ENCODINGS:
        raise InputError(f"--encoding {encoding!r} is not one of {', '.join(ENCODINGS)}")
    return fmt, (encoding or ("utf-8" if fmt in ("xlsx", "json") else detect_encoding(path))).lower()


def fingerprint_file(path: Path) -> str:
    """SHA-256 of the file's bytes: a rerun resumes only on the very same content."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_source(
    path: Path,
    *,
    store: Store,
    mapping: Mapping | None = None,
    source: str | None = None,
    encoding: str | None = None,
    fmt: str | None = None,
    batch_size: int = DEFAULT_BATCH,
    on_progress: ProgressCallback | None = None,
    workers: int | None = None,
    sheet: str | None = None,
) -> ImportReport:
    """Import ``path`` into ``store``; see the module docstring for the guarantees.

    ``workers``: 1 reads, validates and writes in this process; 2 reads and validates in a child
    process while this one writes (about 1.5x faster on two cores); None picks 2 for files of
    16 MB and more. ``sheet``: the sheet of an .xlsx workbook to read (needed when it has several).
    """
    if workers not in (None, 1, 2):
        raise InputError("workers must be 1 or 2")
    path = check_feedback_file(Path(path))
    mapping = mapping or Mapping()
    fmt, encoding = format_and_encoding(path, fmt, encoding)
    source = source or path.name
    started = time.perf_counter()
    fingerprint = fingerprint_file(path)
    options = {**mapping.as_options(), "encoding": encoding, "format": fmt}
    run = store.unfinished_run(source, fingerprint) or store.start_run(
        source=source, path=str(path), fingerprint=fingerprint, options=options
    )
    kwargs = {
        "fmt": fmt,
        "encoding": encoding,
        "mapping": mapping,
        "source": source,
        "skip": run.rows_done,
        "batch_size": batch_size,
        "privacy": store.privacy(),
        "sheet": sheet,
    }
    big = path.stat().st_size >= PARALLEL_BYTES and (os.cpu_count() or 1) > 1
    if workers == 2 or (workers is None and big):
        batches = in_child_process(path, {**kwargs, "prepare_for": store.dialect}, on_progress)
    else:
        batches = validated_batches(path, on_progress=on_progress, prepare_for=store.dialect, **kwargs)
    for records, rejected, rows_done in batches:
        store.commit_import_batch(run.id, records=records, rejected=rejected, rows_done=rows_done, prepared=True)
    final = store.finish_run(run.id)
    read = final.imported + final.duplicates + final.quarantined
    return ImportReport(
        source,
        str(path),
        run.id,
        encoding,
        fmt,
        read,
        final.imported,
        final.duplicates,
        final.quarantined,
        run.rows_done,
        time.perf_counter() - started,
    )


# -- quarantine -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryReport:
    """What a quarantine retry did."""

    tried: int
    imported: int
    duplicates: int
    still_quarantined: int
    conversation_rows: int = 0  # rows of service conversations: they come back through `carlzon qa import`


def retry_quarantine(
    *,
    store: Store,
    fixed_file: Path | None = None,
    source: str | None = None,
    ids: list[int] | None = None,
    edits: dict[int, dict[str, Any]] | None = None,
) -> RetryReport:
    """Re-validate quarantined rows, from the stored raw values or from an edited export.

    An edited export (``carlzon quarantine export``) keeps its ``_quarantine_id`` column, which
    ties each row back to its entry; rows that now pass are imported and their entries closed.
    ``edits``: new values for some cells of some entries (the web app's "fix this row" form).
    """
    entries = {q.id: q for q in store.list_quarantine(source=source, ids=ids)}
    conversation_runs = {run for run in {q.run_id for q in entries.values()} if _of_conversations(store, run)}
    conversation_rows = {qid for qid, q in entries.items() if q.run_id in conversation_runs}
    entries = {qid: q for qid, q in entries.items() if qid not in conversation_rows}
    privacy = store.privacy()
    if fixed_file is not None:
        candidates = list(_edited_rows(fixed_file, entries))
    else:
        changed = edits or {}
        candidates = [(q.id, without_marks(q.raw) | changed.get(q.id, {})) for q in entries.values()]
    resolved: list[tuple[int, dict[str, Any]]] = []
    still_bad: list[tuple[int, str, str, dict[str, Any]]] = []
    for qid, raw in candidates:
        entry = entries[qid]
        run = store.get_run(entry.run_id)
        options = run.options if run else {}
        mapping = Mapping(
            options.get("columns", {}),
            options.get("channel"),
            options.get("brand"),
            options.get("timezone", "UTC"),
            options.get("dayfirst"),
        )
        if entry.field in ("(row)", "(line)", "(element)") and fixed_file is None:
            still_bad.append((qid, entry.field, entry.reason, raw))
            continue
        if entry.reason.startswith(UNSTORABLE) and raw.get(entry.field) == entry.raw.get(entry.field):
            # The stored value only shows the bytes (\xNN); importing it unedited would alter the data.
            still_bad.append((qid, entry.field, entry.reason, raw))
            continue
        columns: dict[str, str] = {}
        try:
            columns = mapping.resolve(list(raw), entry.source)
            resolved.append((qid, RowValidator(mapping, columns, entry.source, privacy).check(raw)))
        except RowRejected as exc:
            kept = privacy.quarantined(
                raw, keep=[exc.field, columns.get("id", "")], customer_column=columns.get("customer_id")
            )
            still_bad.append((qid, exc.field, exc.reason, kept))
        except InputError as exc:
            still_bad.append((qid, "(mapping)", str(exc), privacy.quarantined(raw, keep=[], customer_column=None)))
    imported, duplicates = store.settle_quarantined(resolved=resolved, still_bad=still_bad)
    return RetryReport(len(candidates), imported, duplicates, len(still_bad), len(conversation_rows))


def _of_conversations(store: Store, run_id: int) -> bool:
    """Whether a run imported service conversations, whose rows are not feedback rows on their own."""
    run = store.get_run(run_id)
    return run is not None and run.options.get("kind") == "conversations"


def _edited_rows(path: Path, entries: dict[int, Any]) -> Iterable[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if "_quarantine_id" not in (reader.fieldnames or []):
            raise InputError(f"{path}: no _quarantine_id column; edit a file made by 'carlzon quarantine export'")
        for number, row in enumerate(reader, start=2):
            try:
                qid = int(row["_quarantine_id"])
            except (TypeError, ValueError) as exc:
                raise InputError(f"{path}, row {number}, field '_quarantine_id': not a number") from exc
            if qid not in entries:
                continue  # already resolved, or filtered out
            yield (
                qid,
                {k: from_spreadsheet_safe(v) for k, v in row.items() if k and not k.startswith("_") and v is not None},
            )


def check_feedback_file(path: Path, what: str = "feedback file") -> Path:
    """``path``, if it is a file; a folder or a missing path is an error that says so (callers
    check before they open a database or draw a progress bar)."""
    if path.is_dir():
        raise InputError(f"{what} {path} is a folder, not a file; import the files in it one by one")
    if not path.is_file():
        raise NotFoundError(f"{what} {path} does not exist; check the path")
    return path


def _cell(value: Any) -> Any:
    """A raw value as a CSV cell: a list or object (a JSON conversation's turns) as JSON, which an
    import reads back, not as Python's repr."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def export_quarantine(*, store: Store, out: Path, source: str | None = None) -> int:
    """Write open quarantined rows to a CSV a person can fix and feed to retry; returns the count.

    Cells a spreadsheet would run as formulas are written with a leading quote, which retry removes.
    """
    entries = store.list_quarantine(source=source)
    columns: list[str] = []
    for entry in entries:
        for key in without_marks(entry.raw):
            if key not in columns:
                columns.append(key)
    with output_file(out, "quarantine export"), out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["_quarantine_id", "_source", "_row", "_field", "_reason", "_redacted", *columns])
        for e in entries:
            redacted = ", ".join(e.raw.get(REDACTED_KEY, []))
            values = [_cell(e.raw.get(c, "")) for c in columns]
            cells = [e.id, e.source, e.row_number, e.field, e.reason, redacted, *values]
            writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return len(entries)
