"""The overview: NPS and CSAT per week, the alerts that fired, open and overdue tasks by department."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from carlzon.actions.access import open_statuses, task_counts, visible_tasks
from carlzon.i18n import speaking
from carlzon.web.deps import Reader, StoreDep
from carlzon.web.pages.render import render, request_language

router = APIRouter()


@router.get("/")
def overview(request: Request, store: StoreDep, principal: Reader, brand: str | None = None) -> Response:
    from carlzon.metrics.trends import weekly_score_trend
    from carlzon.reports.figures import score_trend

    counts = task_counts(store=store, principal=principal)
    departments = {name: {"open": n, "overdue": late} for name, (n, late) in counts.items()}
    tasks = visible_tasks(store=store, principal=principal, statuses=open_statuses(), limit=200, order="newest").data
    alerts = [task for task in tasks if (task.rule_id or "").startswith("alert:")]
    journeys = [store.get_journey(journey_id) for journey_id in store.list_journey_ids()]
    chosen = brand or _main_brand(store, [j.id for j in journeys])
    weeks = weekly_score_trend(store=store, brand=chosen)
    with speaking(request_language(request)):
        chart = score_trend(weeks).to_json() if weeks else None
    return render(
        request,
        "overview.html.j2",
        {
            "departments": departments,
            "journeys": journeys,
            "open": sum(n for n, _ in counts.values()),
            "alerts": alerts,
            "brand": chosen,
            "weeks": weeks,
            "trend": chart,
        },
    )


def _main_brand(store: StoreDep, journey_ids: list[str]) -> str | None:
    """The brand with most analysed feedback (one's own, usually: competitors' come in smaller)."""
    for journey_id in journey_ids:
        counts = store.analysed_by_brand(journey_id)
        if counts:
            return next(iter(counts))
    return None
