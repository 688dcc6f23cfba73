"""Jobs as services: an uploaded file becomes an import job, run by its own process
(`carlzon jobs run ID`), so no web request waits for it; its progress and outcome are stored.
After the import the job analyses what is new under every stored journey.

Why a process per job rather than a thread of the server: an import of a large file is minutes
of CPU, which would stall every request of that server process (the GIL); a process also keeps
going when the server restarts, and a killed one is resumed by running the job again (imports
resume from their last committed batch).
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, BinaryIO

from carlzon.accounts.models import AuditDraft
from carlzon.config import Settings
from carlzon.errors import CarlzonError, InputError
from carlzon.ingest.mapping import Mapping
from carlzon.ingest.service import import_source
from carlzon.jobs.models import Job, JobStatus
from carlzon.storage.imports import QuarantinedRow
from carlzon.storage.store import Store

MAX_UPLOAD = 512 * 1024 * 1024  # bytes; larger files belong in `carlzon import` on the server
UPLOAD_EXTENSIONS = (".csv", ".tsv", ".txt", ".jsonl", ".json", ".xlsx")
PROGRESS_EVERY = 0.5  # seconds between progress writes
_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def safe_name(filename: str) -> str:
    """The uploaded file's name without any folder part or unusual characters (it becomes a path)."""
    base = Path(filename.replace("\\", "/")).name.strip() or "upload.csv"
    cleaned = _UNSAFE.sub("_", base).strip("._") or "upload.csv"
    return cleaned[:120]


def start_import_job(
    *,
    store: Store,
    settings: Settings,
    upload: BinaryIO,
    filename: str,
    channel: str | None,
    brand: str | None,
    actor: str,
    source_address: str | None = None,
) -> Job:
    """Keep the upload in the workspace (uploads/) and queue its import; ``spawn`` runs it."""
    name = safe_name(filename)
    if not name.lower().endswith(UPLOAD_EXTENSIONS):
        raise InputError(f"{name}: upload a {', '.join(UPLOAD_EXTENSIONS)} file")
    folder = Path(settings.workspace) / "uploads" / secrets.token_hex(8)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    written = 0
    with path.open("wb") as out:
        while chunk := upload.read(1 << 20):
            written += len(chunk)
            if written > MAX_UPLOAD:
                out.close()
                path.unlink(missing_ok=True)
                raise InputError(f"{name} is over {MAX_UPLOAD // (1 << 20)} MB; import it with: carlzon import FILE")
            out.write(chunk)
    if written == 0:
        path.unlink(missing_ok=True)
        raise InputError(f"{name} is empty")
    params = {"path": str(path), "name": name, "channel": channel or None, "brand": brand or None, "bytes": written}
    job = store.add_job(kind="import", params=params, created_by=actor)
    store.append_audit(
        AuditDraft(actor, "feedback.upload", f"job {job.id}", source_address, {"file": name, "bytes": written}),
        at=job.created_at,
    )
    return job


def spawn(job: Job, settings: Settings) -> None:
    """Run ``job`` in a process of its own (its output goes to job.log beside the upload)."""
    env = {**os.environ, "CARLZON_WORKSPACE": str(settings.workspace)}
    if settings.database_url:
        env["CARLZON_DATABASE_URL"] = settings.database_url
    log = Path(job.params["path"]).with_name("job.log") if "path" in job.params else Path(os.devnull)
    with log.open("ab") as handle:
        subprocess.Popen(
            [sys.executable, "-m", "carlzon", "jobs", "run", str(job.id)],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def run_job(*, store: Store, job_id: int) -> Job:
    """Do the job's work in this process, recording progress; a CarlzonError is the job's outcome
    (failed, with its message), not this process's crash."""
    job = store.start_job(job_id, os.getpid())
    try:
        if job.kind != "import":
            raise InputError(f"job {job_id} is a {job.kind!r} job; this Carlzon runs import jobs")
        params = job.params
        report = import_source(
            Path(params["path"]),
            store=store,
            mapping=Mapping(channel=params.get("channel"), brand=params.get("brand")),
            source=params["name"],
            on_progress=_throttled(lambda done, total: store.job_progress(job_id, done, total)),
        )
    except CarlzonError as exc:
        return store.finish_job(job_id, error=str(exc))
    except Exception as exc:
        store.finish_job(job_id, error=f"unexpected error ({type(exc).__name__}); see job.log")
        raise
    result: dict[str, Any] = asdict(report)
    store.job_progress(job_id, report.read, report.read)
    try:
        result["analysed"] = _analyse_new(store, job_id) if report.imported else {}
    except CarlzonError as exc:  # the import stands; the analysis can be run again by hand
        result["analysis_error"] = str(exc)
    return store.finish_job(job_id, result=result)


def _analyse_new(store: Store, job_id: int) -> dict[str, int]:
    """The new records analysed under every stored journey (incremental: only what has no
    analysis yet), so the journey map and the rules see them without another step."""
    from carlzon.analysis.service import analyse_journey

    analysed = {}
    for journey_id in store.list_journey_ids():
        summary = analyse_journey(
            store=store,
            journey_id=journey_id,
            on_progress=_throttled(lambda done, total: store.job_progress(job_id, done, total)),
        )
        analysed[journey_id] = summary.records
    return analysed


def job_state(job: Job) -> str:
    """What to tell a person: queued, running, done, failed, or interrupted (its process is gone)."""
    if job.status is JobStatus.RUNNING and job.pid is not None and not _alive(job.pid):
        return "interrupted"
    return job.status.value


def quarantined_by(*, store: Store, job: Job) -> list[QuarantinedRow]:
    """The rows of the job's import that are still in the quarantine."""
    if not job.result:
        return []
    run_id = job.result.get("run_id")
    return [q for q in store.list_quarantine(source=job.params.get("name")) if q.run_id == run_id]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a finished child that nobody waited for is a zombie: gone for our purpose
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def _throttled(report: Callable[[int, int], None]) -> Callable[[int, int], None]:
    last = [0.0]

    def on_progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            report(done, total)

    return on_progress
