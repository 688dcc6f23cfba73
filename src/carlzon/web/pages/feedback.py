"""The feedback explorer page: filters and words, newest first, a page at a time."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from carlzon.actions.service import parse_since
from carlzon.ingest.search import LABELS, FeedbackFilter, search_feedback
from carlzon.web.deps import Reader, StoreDep
from carlzon.web.pages.render import render

router = APIRouter()


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value else None


@router.get("/feedback")
def explorer(
    request: Request,
    store: StoreDep,
    principal: Reader,
    q: str | None = Query(None, max_length=200),
    channel: str | None = Query(None, max_length=32),
    brand: str | None = Query(None, max_length=200),
    location: str | None = Query(None, alias="store", max_length=200),
    journey: str | None = Query(None, max_length=64),
    touchpoint: str | None = Query(None, max_length=64),
    label: str | None = Query(None, max_length=16),
    since: str | None = Query(None, max_length=32),
    before: int | None = Query(None, ge=1, le=2**62),
) -> Response:
    journeys = store.list_journey_ids()
    chosen = _blank(journey) or (journeys[0] if journeys else None)
    where = FeedbackFilter(
        words=_blank(q),
        channel=_blank(channel),
        brand=_blank(brand),
        location=_blank(location),
        journey=chosen,
        touchpoint=_blank(touchpoint),
        label=_blank(label),
        since=parse_since(_blank(since)),
    )
    page = search_feedback(store=store, principal=principal, where=where, before=before)
    touchpoints = store.get_journey(chosen).touchpoints() if chosen else []
    query = {k: v for k, v in request.query_params.items() if k != "before"}
    return render(
        request,
        "feedback.html.j2",
        {
            "page": page,
            "where": where,
            "touchpoints": touchpoints,
            "labels": LABELS,
            "journeys": journeys,
            "query": query,
        },
    )
