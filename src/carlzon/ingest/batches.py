"""Read and validate a feedback file into batches of records and rejected rows, ready to commit.

The import's one producer: ``service.import_source`` runs it in this process, or ``pipeline``
runs it in a child process while this one writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from carlzon.ingest.mapping import Mapping, RowValidator
from carlzon.ingest.readers import RawRow, printable, read_rows
from carlzon.ingest.values import RowRejected
from carlzon.privacy.policy import Privacy
from carlzon.storage.imports import prepare_feedback_rows

ProgressCallback = Callable[[int, int], None]


Batch = tuple[list[dict[str, Any]], list[dict[str, Any]], int]  # records, rejected, rows done


def validated_batches(
    path: Path,
    *,
    fmt: str,
    encoding: str,
    mapping: Mapping,
    source: str,
    skip: int,
    batch_size: int,
    privacy: Privacy,
    sheet: str | None = None,
    on_progress: ProgressCallback | None = None,
    prepare_for: str | None = None,
) -> Iterator[Batch]:
    """Read and validate ``path``, yielding batches; the rows before ``skip`` are read but not kept.

    With ``prepare_for`` (a dialect name) the records come ready for the store's bulk insert.
    ``privacy`` redacts and hashes what is kept, of records and rejected rows alike.
    """

    def ready(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return prepare_feedback_rows(records, prepare_for) if prepare_for else records

    validator: RowValidator | None = None
    records: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    done = 0
    for row in read_rows(path, fmt=fmt, encoding=encoding, on_progress=on_progress, sheet=sheet):
        done += 1
        if done <= skip:
            continue
        if row.problem is not None:
            rejected.append(rejection(source, row, *row.problem, privacy=privacy, columns=_columns(validator)))
        else:
            if validator is None:
                validator = RowValidator(mapping, mapping.resolve(list(row.values), source), source, privacy)
            try:
                records.append(validator.check(row.values))
            except RowRejected as exc:
                rejected.append(
                    rejection(source, row, exc.field, exc.reason, privacy=privacy, columns=validator.columns)
                )
        if len(records) + len(rejected) >= batch_size:
            yield ready(records), rejected, done
            records, rejected = [], []
    yield ready(records), rejected, done


def _columns(validator: RowValidator | None) -> dict[str, str]:
    return validator.columns if validator is not None else {}


def rejection(
    source: str, row: RawRow, field: str, reason: str, *, privacy: Privacy, columns: dict[str, str]
) -> dict[str, Any]:
    """A quarantine entry: the failing field and the row's id kept as they were (the user fixes the
    row from them), the customer id hashed, every other cell redacted."""
    raw = {str(k): _printable(v) for k, v in row.values.items()}
    keep = [field] + ([columns["id"]] if "id" in columns else [])
    raw = privacy.quarantined(raw, keep=keep, customer_column=columns.get("customer_id"))
    return {"source": source, "row_number": row.number, "field": field[:64], "reason": reason, "raw": raw}


def _printable(value: Any) -> Any:
    """Raw values as JSON can hold them: undecodable bytes shown as \\xNN, long text kept whole."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, int | float | bool) or value is None:
        return value
    return str(value)
