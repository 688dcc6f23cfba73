"""The task board: a department's open tasks with their SLA countdown, and the moves they allow."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from carlzon.actions.access import open_statuses, task_counts, visible_task, visible_tasks, work_task
from carlzon.actions.models import TRANSITIONS
from carlzon.web.api.tasks import TaskNumber
from carlzon.web.deps import FormSession, Reader, StoreDep, TaskWorker, client_address
from carlzon.web.pages.render import render

router = APIRouter()
BOARD_SIZE = 200  # tasks on the board at once, oldest first; more: filter by department
FEEDBACK_SHOWN = 20  # the verbatims behind a task shown on its page (stored redacted)


@router.get("/tasks")
def task_board(request: Request, store: StoreDep, principal: Reader, department: str | None = None) -> Response:
    page = visible_tasks(
        store=store, principal=principal, statuses=open_statuses(), department=department, limit=BOARD_SIZE
    )
    counts = task_counts(store=store, principal=principal)
    total = counts.get(department, (0, 0))[0] if department else sum(n for n, _ in counts.values())
    now = datetime.now(UTC)
    columns: dict[str, list[object]] = {status: [] for status in open_statuses()}
    for task in page.data:
        columns.setdefault(task.status.value, []).append(task)
    moves = {
        task.id: [name for name, (sources, _) in TRANSITIONS.items() if task.status in sources] for task in page.data
    }
    return render(
        request,
        "tasks.html.j2",
        {
            "columns": columns,
            "moves": moves,
            "now": now,
            "department": department or principal.department,
            "shown": len(page.data),
            "total": total,
            "departments": sorted(counts),
        },
    )


@router.get("/tasks/{task_id}")
def task_page(request: Request, task_id: TaskNumber, store: StoreDep, principal: Reader) -> Response:
    task = visible_task(store=store, principal=principal, task_id=task_id)
    moves = [name for name, (sources, _) in TRANSITIONS.items() if task.status in sources]
    feedback = store.feedback_texts(task.feedback_ids[:FEEDBACK_SHOWN]).to_dict("records")
    return render(
        request,
        "task.html.j2",
        {"task": task, "events": store.task_events(task_id), "moves": moves, "feedback": feedback},
    )


@router.post("/tasks/{task_id}/actions")
def task_action(
    request: Request,
    task_id: TaskNumber,
    store: StoreDep,
    principal: TaskWorker,
    _form: FormSession,
    action: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
    assignee: Annotated[str, Form()] = "",
    contacted_back: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
) -> Response:
    work_task(
        store=store,
        principal=principal,
        task_id=task_id,
        action=action,
        note=note or None,
        assignee=assignee or None,
        contacted_back={"yes": True, "no": False}.get(contacted_back),
        outcome=outcome or None,
        source=client_address(request),
    )
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)
