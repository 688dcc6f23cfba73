"""Store methods for jobs: create, claim, report progress, finish, read."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from carlzon.errors import NotFoundError
from carlzon.jobs.models import Job, JobStatus
from carlzon.storage.engine import as_utc
from carlzon.storage.tables import JobRow


def _job(row: JobRow) -> Job:
    return Job(
        id=row.id,
        kind=row.kind,
        status=JobStatus(row.status),
        params=dict(row.params or {}),
        result=dict(row.result) if row.result is not None else None,
        error=row.error,
        done=int(row.done or 0),
        total=int(row.total or 0),
        pid=row.pid,
        created_by=row.created_by,
        created_at=as_utc(row.created_at),  # type: ignore[arg-type]
        started_at=as_utc(row.started_at),
        finished_at=as_utc(row.finished_at),
    )


class JobsMixin:
    """Jobs of Store (see store.py)."""

    engine: Engine
    writing: Callable[[], AbstractContextManager[object]]  # Store.writing

    def add_job(self, *, kind: str, params: dict[str, Any], created_by: str) -> Job:
        with self.writing(), Session(self.engine) as session, session.begin():
            row = JobRow(
                kind=kind,
                status=JobStatus.QUEUED.value,
                params=params,
                created_by=created_by,
                created_at=datetime.now(UTC),
                done=0,
                total=0,
            )
            session.add(row)
            session.flush()
            return _job(row)

    def get_job(self, job_id: int) -> Job:
        with Session(self.engine) as session:
            row = session.get(JobRow, job_id)
            if row is None:
                raise NotFoundError(f"no job {job_id}")
            return _job(row)

    def list_jobs(self, *, kind: str | None = None, limit: int = 20) -> list[Job]:
        query = select(JobRow).order_by(JobRow.id.desc()).limit(limit)
        if kind is not None:
            query = query.where(JobRow.kind == kind)
        with Session(self.engine) as session:
            return [_job(row) for row in session.scalars(query)]

    def start_job(self, job_id: int, pid: int) -> Job:
        return self._update_job(
            job_id, status=JobStatus.RUNNING.value, pid=pid, started_at=datetime.now(UTC), error=None
        )

    def job_progress(self, job_id: int, done: int, total: int) -> None:
        self._update_job(job_id, done=done, total=total)

    def finish_job(self, job_id: int, *, result: dict[str, Any] | None = None, error: str | None = None) -> Job:
        status = JobStatus.FAILED if error is not None else JobStatus.DONE
        return self._update_job(job_id, status=status.value, result=result, error=error, finished_at=datetime.now(UTC))

    def _update_job(self, job_id: int, **values: Any) -> Job:
        with self.writing(), Session(self.engine) as session, session.begin():
            session.execute(update(JobRow).where(JobRow.id == job_id).values(**values))
            row = session.get(JobRow, job_id)
            if row is None:
                raise NotFoundError(f"no job {job_id}")
            return _job(row)
