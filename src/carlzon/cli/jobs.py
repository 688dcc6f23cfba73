"""`carlzon jobs`: the long work the web app started (imports of uploaded files)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from carlzon.cli._render import console, handle_errors, open_store, plain
from carlzon.cli.common import DatabaseOption, WorkspaceOption

app = typer.Typer(
    help="Jobs the web app started (imports of uploaded files): list them, run one again.", no_args_is_help=True
)


@app.command("list")
@handle_errors
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="Print the jobs as JSON.")] = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """The newest jobs with their state and progress.

    Example: carlzon jobs list
    """
    from carlzon.jobs.service import job_state

    with open_store(workspace, database_url) as store:
        jobs = store.list_jobs()
    if as_json:
        print(json.dumps([j.to_dict() | {"state": job_state(j)} for j in jobs], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(jobs)} jobs (newest first)")
    for column in ("#", "kind", "state", "file", "by", "created (UTC)", "outcome"):
        table.add_column(column, overflow="fold")
    for job in jobs:
        outcome = job.error or (
            f"{job.result['imported']:,} imported, {job.result['quarantined']:,} quarantined" if job.result else ""
        )
        table.add_row(
            str(job.id),
            job.kind,
            job_state(job),
            plain(job.params.get("name", "")),
            plain(job.created_by),
            f"{job.created_at:%Y-%m-%d %H:%M}",
            plain(outcome),
        )
    console.print(table)


@app.command("run")
@handle_errors
def run(
    job_id: Annotated[int, typer.Argument(help="Job number (see: carlzon jobs list).")],
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Run a job in this process (the web app starts each job this way; run an interrupted one
    again by hand: an import resumes after its last committed batch).

    Example: carlzon jobs run 7
    """
    from carlzon.jobs.service import run_job

    with open_store(workspace, database_url) as store:
        job = run_job(store=store, job_id=job_id)
    console.print(f"job {job.id}: {job.status.value}" + (f" — {plain(job.error)}" if job.error else ""))
    if job.error:
        raise typer.Exit(1)
