"""The journey map page: the emotion curve with peak, trough and end, and the touchpoint table."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from carlzon.i18n import speaking
from carlzon.web.deps import Reader, StoreDep
from carlzon.web.pages.render import render, request_language

router = APIRouter()


@router.get("/journeys/{journey_id}")
def journey_page(request: Request, journey_id: str, store: StoreDep, _: Reader, brand: str | None = None) -> Response:
    from carlzon.mot.service import map_journey
    from carlzon.reports.figures import emotion_curve

    moments = map_journey(store=store, journey_id=journey_id, brand=brand)
    with speaking(request_language(request)):  # the chart's titles and labels in the page's language
        figure = emotion_curve(moments.journey_map).to_json()
    journey = moments.journey
    rows = [
        row
        | {"stage": journey.stage_of(row["touchpoint_id"]).name, "name": journey.touchpoint(row["touchpoint_id"]).name}
        for row in moments.journey_map.to_dict()["touchpoints"]
    ]
    clickable = [row["touchpoint_id"] for row in rows if row["mentions"]]  # the curve's points, in order
    return render(
        request,
        "journey.html.j2",
        {"moments": moments, "figure": figure, "rows": rows, "clickable": clickable},
    )


@router.get("/journeys/{journey_id}/touchpoints/{touchpoint_id}")
def touchpoint_page(
    request: Request, journey_id: str, touchpoint_id: str, store: StoreDep, principal: Reader, brand: str | None = None
) -> Response:
    from carlzon.ingest.search import FeedbackFilter, search_feedback
    from carlzon.mot.touchpoint import VERBATIMS, view_touchpoint
    from carlzon.reports.figures import trend

    view = view_touchpoint(
        store=store,
        journey_id=journey_id,
        touchpoint_id=touchpoint_id,
        brand=brand,
        with_points=principal.department is None,  # points quote every department's feedback
    )
    journey = view.brand_map.journey
    name = journey.touchpoint(touchpoint_id).name
    with speaking(request_language(request)):
        chart = trend(view.trend, {touchpoint_id: f"{name.en} · {name.zh}"}, [touchpoint_id]).to_json()
    where = FeedbackFilter(brand=view.brand_map.brand, journey=journey_id, touchpoint=touchpoint_id)
    verbatims = search_feedback(store=store, principal=principal, where=where, limit=VERBATIMS).data
    return render(
        request,
        "touchpoint.html.j2",
        {"view": view, "journey": journey, "name": name, "chart": chart, "verbatims": verbatims},
    )


@router.get("/journeys/{journey_id}/moments")
def moments_page(request: Request, journey_id: str, store: StoreDep, _: Reader, brand: str | None = None) -> Response:
    """The MOT ranking with its screening funnel and the importance-performance grid."""
    from carlzon.mot.service import analyse_moments
    from carlzon.reports import figures

    moments = analyse_moments(store=store, journey_id=journey_id, brand=brand)
    names = {r.touchpoint_id: f"{r.name_en} · {r.name_zh}" for r in moments.journey_map.table.itertuples()}
    with speaking(request_language(request)):
        charts = {"funnel": figures.mot_funnel(moments.ranking).to_json()}
        if moments.ranking.moments:
            charts["priorities"] = figures.mot_priorities(moments.ranking.moments).to_json()
        if moments.drivers is not None:
            charts["grid"] = figures.importance_performance(moments.drivers, names).to_json()
    return render(request, "moments.html.j2", {"moments": moments, "charts": charts, "names": names})
