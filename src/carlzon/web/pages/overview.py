"""The overview: journeys, open and overdue tasks by department."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from carlzon.actions.access import open_statuses, visible_tasks
from carlzon.web.deps import Reader, StoreDep
from carlzon.web.pages.render import render

router = APIRouter()


@router.get("/")
def overview(request: Request, store: StoreDep, principal: Reader) -> Response:
    now = datetime.now(UTC)
    tasks = visible_tasks(store=store, principal=principal, statuses=open_statuses(), limit=200).data
    departments: dict[str, dict[str, int]] = {}
    for task in tasks:
        counts = departments.setdefault(task.department, {"open": 0, "overdue": 0})
        counts["open"] += 1
        counts["overdue"] += int(task.due_at is not None and task.due_at < now)
    journeys = [store.get_journey(journey_id) for journey_id in store.list_journey_ids()]
    return render(request, "overview.html.j2", {"departments": departments, "journeys": journeys, "open": len(tasks)})
