"""Read feedback from a CSV with Carlzon's standard columns.

Columns: id, channel, brand, text, nps, customer_id, store, created_at, reach (only id,
channel, brand and text are required). A bad row stops the read with an error naming the
file, row and field; quarantine and column mapping arrive with the ingest work.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from carlzon.errors import FeedbackFileError, NotFoundError
from carlzon.ingest.models import FeedbackRecord
from carlzon.ingest.redact import redact

REQUIRED = ("id", "channel", "brand", "text")


def read_feedback_csv(path: Path, *, source: str | None = None) -> Iterator[FeedbackRecord]:
    """Yield one FeedbackRecord per row, with personal data already redacted from the text."""
    if not path.exists():
        raise NotFoundError(f"feedback file {path} does not exist; check the path")
    source = source or path.name
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise FeedbackFileError(
                str(path), 1, missing[0], f"required column missing (need {', '.join(REQUIRED)})"
            )
        for row_number, row in enumerate(reader, start=2):
            yield _record(path, row_number, row, source)


def _record(path: Path, row_number: int, row: dict[str, str | None], source: str) -> FeedbackRecord:
    def value(name: str) -> str | None:
        text = (row.get(name) or "").strip()
        return text or None

    def number(name: str, kind: type) -> int | float | None:
        text = value(name)
        if text is None:
            return None
        try:
            return kind(float(text)) if kind is int else kind(text)
        except ValueError as exc:
            raise FeedbackFileError(str(path), row_number, name, f"{text!r} is not a number") from exc

    created = value("created_at")
    try:
        created_at = datetime.fromisoformat(created) if created else None
    except ValueError as exc:
        raise FeedbackFileError(
            str(path), row_number, "created_at", f"{created!r} is not an ISO date-time"
        ) from exc
    try:
        return FeedbackRecord(
            source=source,
            external_id=value("id") or "",
            channel=value("channel") or "",
            brand=value("brand") or "",
            text=redact(row.get("text") or ""),
            customer_id=value("customer_id"),
            location=value("store"),
            created_at=created_at,
            nps=number("nps", int),
            reach=number("reach", int),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "(row)"
        field = {"external_id": "id", "location": "store"}.get(field, field)
        raise FeedbackFileError(str(path), row_number, field, first["msg"]) from exc
