"""Feedback pushed by another system (the web API): the same validation, de-duplication, PII
redaction and quarantine as a file import, for records that arrive as JSON objects.

Why not write them to a temporary file and call import_source: a request holds a handful of
records and wants its answer in milliseconds; one transaction per request (run, records,
quarantine, audit entry) is what lets intake keep up with a call centre's platform.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingType
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from carlzon.accounts.models import AuditDraft
from carlzon.errors import InputError
from carlzon.ingest.batches import rejection
from carlzon.ingest.mapping import Mapping, RowValidator
from carlzon.ingest.readers import RawRow
from carlzon.ingest.values import RowRejected
from carlzon.storage.store import Store

MAX_RECORDS = 1000  # per request; larger batches belong in a file import (carlzon import)


@dataclass(frozen=True)
class Rejection:
    """A record that was quarantined: its position in the request (1-based), the field and why."""

    index: int
    field: str
    reason: str


@dataclass(frozen=True)
class IntakeReport:
    """What became of a request's records: received = imported + duplicates + quarantined."""

    source: str
    run_id: int
    received: int
    imported: int
    duplicates: int
    quarantined: int
    rejections: list[Rejection] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def intake_records(
    records: Sequence[object],
    *,
    store: Store,
    source: str = "api",
    channel: str | None = None,
    brand: str | None = None,
    actor: str = "api",
    from_address: str | None = None,
) -> IntakeReport:
    """Validate and store ``records`` (objects with Carlzon's field names: text, channel, id, brand,
    customer_id, store, created_at, nps, csat, ces, rating, reach; other keys are kept as meta).
    A record that fails is quarantined with its field and reason; the rest are stored."""
    if not records:
        raise InputError("no records: send one object, or a list of 1 to 1,000")
    if len(records) > MAX_RECORDS:
        raise InputError(
            f"{len(records):,} records in one request; send at most {MAX_RECORDS:,} (or use a file import)"
        )
    source = source.strip()[:150] or "api"
    mapping = Mapping(channel=channel, brand=brand)
    privacy = store.privacy()
    arrived = datetime.now(UTC).isoformat()
    header = list(dict.fromkeys([*(key for r in records if isinstance(r, MappingType) for key in r), "created_at"]))
    validator = RowValidator(mapping, mapping.resolve(header, source), source, privacy)
    good: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    rejections: list[Rejection] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, MappingType):
            row = RawRow(number, {"record": str(record)[:200]})
            problem = ("record", f"expected a JSON object with a 'text' field, got {type(record).__name__}")
        else:
            values = {str(k): v for k, v in record.items()}
            if values.get("created_at") in (None, ""):
                values["created_at"] = arrived  # pushed feedback without a time happened when it arrived
            row = RawRow(number, values)
            try:
                good.append(validator.check(row.values))
                continue
            except RowRejected as exc:
                problem = (exc.field, exc.reason)
        rejected.append(rejection(source, row, *problem, privacy=privacy, columns=validator.columns))
        rejections.append(Rejection(number, *problem))
    run_id, imported, duplicates = store.commit_intake(
        source=source,
        records=good,
        rejected=rejected,
        options={**mapping.as_options(), "format": "api"},
        audit=AuditDraft(
            actor, "feedback.intake", None, from_address, {"received": len(records), "quarantined": len(rejected)}
        ),
    )
    return IntakeReport(source, run_id, len(records), imported, duplicates, len(rejected), rejections)
