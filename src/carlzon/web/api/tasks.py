"""Tasks: list (keyset pages), read, and work them (lifecycle moves, assign, comment). A
department member sees and works only their department's tasks."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from carlzon.actions.access import MAX_PAGE, open_statuses, visible_task, visible_tasks, work_task
from carlzon.web.deps import Reader, StoreDep, TaskWorker, client_address
from carlzon.web.schemas import ERRORS

router = APIRouter(tags=["tasks"], responses=ERRORS)

MAX_ID = 2**62  # larger numbers name no row (and would not fit the databases' 64-bit integers)
TaskNumber = Annotated[int, Path(ge=1, le=MAX_ID, description="The task's number")]

Action = Literal["acknowledge", "start", "wait", "resolve", "verify", "reopen", "assign", "comment"]


class TaskActionIn(BaseModel):
    action: Action
    note: str | None = Field(None, description="Kept in the audit trail; the comment's text for 'comment'")
    assignee: str | None = Field(None, description="For 'assign'")
    contacted_back: bool | None = Field(
        None, description="Resolving a complaint-recovery task: was the customer called back?"
    )
    outcome: str | None = Field(None, description="Resolving a complaint-recovery task: what came of it")


@router.get("/tasks", summary="Tasks, oldest first, a page at a time")
def list_tasks(
    store: StoreDep,
    principal: Reader,
    status: list[str] | None = Query(None, description="Default: every open status"),
    department: str | None = None,
    after: int = Query(0, ge=0, le=MAX_ID, description="The next_after of the page before"),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    order: Literal["oldest", "newest"] = Query("oldest", description="Oldest (first opened) or newest first"),
) -> dict[str, Any]:
    page = visible_tasks(
        store=store,
        principal=principal,
        statuses=status or open_statuses(),
        department=department,
        after=after,
        limit=limit,
        order=order,
    )
    return page.to_dict()


@router.get("/tasks/{task_id}", summary="One task with its audit trail")
def get_task(task_id: TaskNumber, store: StoreDep, principal: Reader) -> dict[str, Any]:
    task = visible_task(store=store, principal=principal, task_id=task_id)
    return task.to_dict() | {"events": [e.to_dict() for e in store.task_events(task_id)]}


@router.post("/tasks/{task_id}/actions", summary="Move, assign or comment on a task")
def act_on_task(
    request: Request, task_id: TaskNumber, body: TaskActionIn, store: StoreDep, principal: TaskWorker
) -> dict[str, Any]:
    task = work_task(
        store=store,
        principal=principal,
        task_id=task_id,
        action=body.action,
        note=body.note,
        assignee=body.assignee,
        contacted_back=body.contacted_back,
        outcome=body.outcome,
        source=client_address(request),
    )
    return task.to_dict()


@router.get("/alerts", summary="The open tasks alerts opened, each titled with why it fired")
def list_alerts(store: StoreDep, principal: Reader) -> dict[str, Any]:
    page = visible_tasks(store=store, principal=principal, statuses=open_statuses(), limit=MAX_PAGE)
    data = [task.to_dict() for task in page.data if (task.rule_id or "").startswith("alert:")]
    return {"data": data, "count": len(data)}
