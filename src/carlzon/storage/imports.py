"""Store methods for imports: resumable runs, batches committed with their checkpoint, quarantine.

Why one transaction per batch holding the rows, the rejected rows *and* the run's checkpoint:
an import killed at any instant leaves either the whole batch and its checkpoint or neither,
so a rerun resumes exactly where the last commit ended.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from carlzon.accounts.models import AuditDraft
from carlzon.storage.accounts import write_audit
from carlzon.storage.tables import ImportRunRow, QuarantineRow


@dataclass(frozen=True)
class ImportRun:
    """An import run's identity, options and running counts."""

    id: int
    source: str
    path: str
    fingerprint: str
    options: dict[str, Any]
    status: str
    rows_done: int
    imported: int
    duplicates: int
    quarantined: int


@dataclass(frozen=True)
class QuarantinedRow:
    """A rejected row: where it came from, which field, why, and its raw values."""

    id: int
    run_id: int
    source: str
    row_number: int
    field: str
    reason: str
    raw: dict[str, Any]
    status: str


FEEDBACK_COLUMNS = (
    "source",
    "external_id",
    "channel",
    "brand",
    "customer_id",
    "location",
    "created_at",
    "text",
    "nps",
    "csat",
    "ces",
    "rating",
    "reach",
    "meta",
)


def prepare_feedback_rows(records: list[dict[str, Any]], dialect: str) -> list[dict[str, Any]]:
    """Feedback values adapted for a raw executemany on ``dialect``: JSON as text, SQLite's date format.

    Pure (no database access), so an import's reader process can do it while the writer writes.
    """
    sqlite = dialect == "sqlite"
    rows = []
    for record in records:
        row = dict.fromkeys(FEEDBACK_COLUMNS) | record
        meta = row["meta"]
        row["meta"] = json.dumps(meta, ensure_ascii=False) if meta else "{}"
        created = row["created_at"]
        if sqlite and created is not None:
            row["created_at"] = created.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        rows.append(row)
    return rows


def _run(row: ImportRunRow) -> ImportRun:
    return ImportRun(
        row.id,
        row.source,
        row.path,
        row.fingerprint,
        row.options,
        row.status,
        row.rows_done,
        row.imported,
        row.duplicates,
        row.quarantined,
    )


_RUN_INSERT = ImportRunRow.__table__.insert()
_QUARANTINE_INSERT = QuarantineRow.__table__.insert()


class ImportsMixin:
    """Import-run and quarantine methods of Store (see store.py)."""

    engine: Engine
    writing: Callable[[], AbstractContextManager[object]]  # Store.writing

    def insert_feedback_values(self, session: Session, records: list[dict[str, Any]]) -> int:
        """Insert feedback values (FEEDBACK_COLUMNS keys); duplicates are skipped; returns how many were new.

        The one way feedback enters the database: imports, quarantine retries and add_feedback.
        """
        return self._bulk_insert_feedback(session, prepare_feedback_rows(records, self.engine.dialect.name))

    def _bulk_insert_feedback(self, session: Session, rows: list[dict[str, Any]]) -> int:
        """Insert prepared feedback rows (see prepare_feedback_rows) with one DBAPI executemany.

        Why not the ORM: at import speed SQLAlchemy's per-row parameter processing is the
        bottleneck. ON CONFLICT DO NOTHING skips duplicates; rowcount counts the new rows.
        """
        sqlite = self.engine.dialect.name == "sqlite"
        if not sqlite:
            return self._copy_feedback(session, rows)
        marks = ", ".join(f":{c}" for c in FEEDBACK_COLUMNS)
        statement = (
            f"INSERT INTO feedback ({', '.join(FEEDBACK_COLUMNS)}) VALUES ({marks}) "
            "ON CONFLICT (source, external_id) DO NOTHING"
        )
        result = session.connection().exec_driver_sql(statement, rows)
        if result.rowcount is None or result.rowcount < 0:
            raise RuntimeError("the database driver did not report how many rows it inserted")
        return int(result.rowcount)

    def _copy_feedback(self, session: Session, rows: list[dict[str, Any]]) -> int:
        """PostgreSQL: COPY the rows into a temporary staging table, then one INSERT ... SELECT that skips
        duplicates. COPY streams the batch in one round trip, several times faster than a multi-row
        INSERT; the staging table's sequence number keeps the file's order (ids, and which of two
        duplicates counts, follow it)."""
        columns = ", ".join(FEEDBACK_COLUMNS)
        cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(  # the feedback columns without the id (whose default would draw on its sequence)
                "CREATE TEMPORARY TABLE IF NOT EXISTS feedback_staging ON COMMIT DELETE ROWS AS "
                f"SELECT {columns}, 0 AS seq FROM feedback WITH NO DATA"
            )
            cursor.execute("TRUNCATE feedback_staging")
            with cursor.copy(f"COPY feedback_staging ({columns}, seq) FROM STDIN") as copy:
                for seq, row in enumerate(rows):
                    copy.write_row([*(row[c] for c in FEEDBACK_COLUMNS), seq])
            cursor.execute(
                f"INSERT INTO feedback ({columns}) SELECT {columns} FROM feedback_staging ORDER BY seq "
                "ON CONFLICT (source, external_id) DO NOTHING"
            )
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def unfinished_run(self, source: str, fingerprint: str) -> ImportRun | None:
        """The newest interrupted run of the same file (same source name and content), if any."""
        query = (
            select(ImportRunRow)
            .where(
                ImportRunRow.source == source,
                ImportRunRow.fingerprint == fingerprint,
                ImportRunRow.status == "running",
            )
            .order_by(ImportRunRow.id.desc())
        )
        with Session(self.engine) as session:
            row = session.scalars(query).first()
            return _run(row) if row else None

    def start_run(self, *, source: str, path: str, fingerprint: str, options: dict[str, Any]) -> ImportRun:
        """Record the start of an import run."""
        with Session(self.engine) as session, session.begin():
            row = ImportRunRow(
                source=source,
                path=path,
                fingerprint=fingerprint,
                options=options,
                status="running",
                rows_done=0,
                imported=0,
                duplicates=0,
                quarantined=0,
                started_at=datetime.now(UTC),
            )
            session.add(row)
            session.flush()
            return _run(row)

    def commit_import_batch(
        self,
        run_id: int,
        *,
        records: list[dict[str, Any]],
        rejected: list[dict[str, Any]],
        rows_done: int,
        prepared: bool = False,
    ) -> tuple[int, int]:
        """Insert a batch, its rejected rows and the run checkpoint in one transaction.

        Returns (imported, duplicates) for the batch.
        """
        now = datetime.now(UTC)
        with Session(self.engine) as session, session.begin():
            inserted = 0
            if records:
                inserted = (
                    self._bulk_insert_feedback(session, records)
                    if prepared
                    else self.insert_feedback_values(session, records)
                )
            self.record_batch(session, run_id, rejected, rows_done, inserted, len(records) - inserted, now)
        return inserted, len(records) - inserted

    def record_batch(
        self,
        session: Session,
        run_id: int,
        rejected: list[dict[str, Any]],
        rows_done: int,
        imported: int,
        duplicates: int,
        now: datetime,
    ) -> None:
        """In a batch's transaction: its rejected rows not already open in the quarantine (only the
        quarantine's own columns of each) and the run's checkpoint and counts."""
        fresh = self._new_rejections(session, rejected)
        if fresh:
            columns = ("source", "row_number", "field", "reason", "raw")
            session.execute(
                QuarantineRow.__table__.insert(),
                [{**{c: r[c] for c in columns}, "run_id": run_id, "status": "open", "created_at": now} for r in fresh],
            )
        session.execute(
            update(ImportRunRow)
            .where(ImportRunRow.id == run_id)
            .values(
                rows_done=rows_done,
                imported=ImportRunRow.imported + imported,
                duplicates=ImportRunRow.duplicates + duplicates,
                quarantined=ImportRunRow.quarantined + len(rejected),
            )
        )

    def commit_intake(
        self,
        *,
        source: str,
        records: list[dict[str, Any]],
        rejected: list[dict[str, Any]],
        options: dict[str, Any],
        audit: AuditDraft | None = None,
    ) -> tuple[int, int, int]:
        """Records pushed through the API: the run, its feedback, its quarantined rows and the audit
        entry in one transaction (one commit per request keeps intake fast on SQLite). Rejections
        are filed under ``source#run`` so rows numbered 1.. in every request stay apart.
        Returns (run id, imported, duplicates)."""
        now = datetime.now(UTC)
        with self.writing(), Session(self.engine) as session, session.begin():
            inserted = self.insert_feedback_values(session, records) if records else 0
            run = {
                "source": source,
                "path": "",
                "fingerprint": "",
                "options": options,
                "status": "done",
                "rows_done": len(records) + len(rejected),
                "imported": inserted,
                "duplicates": len(records) - inserted,
                "quarantined": len(rejected),
                "started_at": now,
                "finished_at": now,
            }
            # Table-level statements built once: per request, building them was the larger cost.
            run_id = int(session.execute(_RUN_INSERT, run).inserted_primary_key[0])
            if rejected:
                session.execute(
                    _QUARANTINE_INSERT,
                    [
                        {**r, "source": f"{source}#{run_id}", "run_id": run_id, "status": "open", "created_at": now}
                        for r in rejected
                    ],
                )
            if audit is not None:
                write_audit(
                    session,
                    replace(audit, target=f"import run {run_id}", detail={**audit.detail, "imported": inserted}),
                    now,
                )
            return run_id, inserted, len(records) - inserted

    @staticmethod
    def _new_rejections(session: Session, rejected: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rejections not already open in the quarantine (a re-import must not list a row twice)."""
        if not rejected:
            return []
        open_keys: set[tuple[str, int]] = set()
        for source in {r["source"] for r in rejected}:
            numbers = [r["row_number"] for r in rejected if r["source"] == source]
            query = select(QuarantineRow.row_number).where(
                QuarantineRow.source == source,
                QuarantineRow.status == "open",
                QuarantineRow.row_number.in_(numbers),
            )
            open_keys |= {(source, n) for n in session.scalars(query)}
        return [r for r in rejected if (r["source"], r["row_number"]) not in open_keys]

    def finish_run(self, run_id: int) -> ImportRun:
        """Mark a run done and return its final counts."""
        with Session(self.engine) as session, session.begin():
            row = session.get(ImportRunRow, run_id)
            assert row is not None
            row.status, row.finished_at = "done", datetime.now(UTC)
            session.flush()
            return _run(row)

    def get_run(self, run_id: int) -> ImportRun | None:
        """One import run by id."""
        with Session(self.engine) as session:
            row = session.get(ImportRunRow, run_id)
            return _run(row) if row else None

    def list_quarantine(
        self, *, status: str | None = "open", source: str | None = None, ids: list[int] | None = None
    ) -> list[QuarantinedRow]:
        """Quarantined rows, oldest first, filtered by status, source or ids."""
        query = select(QuarantineRow).order_by(QuarantineRow.id)
        if status is not None:
            query = query.where(QuarantineRow.status == status)
        if source is not None:
            query = query.where(QuarantineRow.source == source)
        if ids:
            query = query.where(QuarantineRow.id.in_(ids))
        with Session(self.engine) as session:
            return [
                QuarantinedRow(r.id, r.run_id, r.source, r.row_number, r.field, r.reason, r.raw, r.status)
                for r in session.scalars(query)
            ]

    def settle_quarantined(
        self,
        *,
        resolved: list[tuple[int, dict[str, Any]]],
        still_bad: list[tuple[int, str, str, dict[str, Any]]],
    ) -> tuple[int, int]:
        """Import fixed rows and close their entries; update the reason of rows still bad.

        ``resolved`` holds (quarantine id, feedback values); ``still_bad`` (id, field, reason, raw).
        Returns (imported, duplicates).
        """
        with Session(self.engine) as session, session.begin():
            inserted = 0
            if resolved:
                inserted = self.insert_feedback_values(session, [v for _, v in resolved])
                session.execute(
                    update(QuarantineRow)
                    .where(QuarantineRow.id.in_([qid for qid, _ in resolved]))
                    .values(status="resolved")
                )
            for qid, field, reason, raw in still_bad:
                session.execute(
                    update(QuarantineRow).where(QuarantineRow.id == qid).values(field=field, reason=reason, raw=raw)
                )
        return inserted, len(resolved) - inserted
