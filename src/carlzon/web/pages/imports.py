"""The import page: upload a file, watch its import (a job in its own process), see its
quarantined rows and fix them one by one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from carlzon.errors import NotFoundError
from carlzon.ingest.service import retry_quarantine
from carlzon.jobs.service import job_state, quarantined_by, spawn, start_import_job
from carlzon.web.deps import FeedbackWriter, FormSession, StoreDep, client_address
from carlzon.web.pages.render import render

router = APIRouter()
JobNumber = Annotated[int, Path(ge=1, le=2**62)]


@router.get("/import")
def import_page(request: Request, store: StoreDep, _: FeedbackWriter) -> Response:
    return render(request, "import.html.j2", {"jobs": store.list_jobs(kind="import"), "state": job_state})


@router.post("/import")
def upload(
    request: Request,
    store: StoreDep,
    principal: FeedbackWriter,
    _form: FormSession,
    file: Annotated[UploadFile, File()],
    channel: Annotated[str, Form()] = "",
    brand: Annotated[str, Form()] = "",
) -> Response:
    settings = request.app.state.settings
    job = start_import_job(
        store=store,
        settings=settings,
        upload=file.file,
        filename=file.filename or "upload.csv",
        channel=channel.strip() or None,
        brand=brand.strip() or None,
        actor=principal.actor,
        source_address=client_address(request),
    )
    spawn(job, settings)
    return RedirectResponse(f"/import/jobs/{job.id}", status_code=303)


@router.get("/import/jobs/{job_id}")
def job_page(request: Request, job_id: JobNumber, store: StoreDep, _: FeedbackWriter) -> Response:
    job = store.get_job(job_id)
    rows = quarantined_by(store=store, job=job)
    return render(
        request,
        "job.html.j2",
        {"job": job, "state": job_state(job), "rows": rows, "fixed": request.query_params.get("fixed")},
    )


@router.post("/quarantine/{entry_id}/fix")
def fix_row(
    request: Request,
    entry_id: JobNumber,
    store: StoreDep,
    principal: FeedbackWriter,
    _form: FormSession,
    job: Annotated[int, Form()],
    value: Annotated[str, Form()] = "",
) -> Response:
    entries = store.list_quarantine(ids=[entry_id])
    if not entries:
        raise NotFoundError(f"row {entry_id} is not in the quarantine (already fixed?)")
    entry = entries[0]
    owner = store.get_job(job)
    if not owner.result or owner.result.get("run_id") != entry.run_id:
        raise NotFoundError(f"row {entry_id} is not one of job {job}'s rows")
    report = retry_quarantine(store=store, ids=[entry_id], edits={entry_id: {entry.field: value}})
    outcome = "imported" if report.imported or report.duplicates else "still"
    return RedirectResponse(f"/import/jobs/{job}?fixed={outcome}", status_code=303)
