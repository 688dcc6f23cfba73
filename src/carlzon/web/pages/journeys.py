"""The journey map page: the emotion curve with peak, trough and end, and the touchpoint table."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from carlzon.web.deps import Reader, StoreDep
from carlzon.web.pages.render import render

router = APIRouter()


@router.get("/journeys/{journey_id}")
def journey_page(request: Request, journey_id: str, store: StoreDep, _: Reader, brand: str | None = None) -> Response:
    from carlzon.mot.service import map_journey
    from carlzon.reports.figures import emotion_curve

    moments = map_journey(store=store, journey_id=journey_id, brand=brand)
    figure = emotion_curve(moments.journey_map).to_json()
    journey = moments.journey
    rows = [
        row
        | {"stage": journey.stage_of(row["touchpoint_id"]).name, "name": journey.touchpoint(row["touchpoint_id"]).name}
        for row in moments.journey_map.to_dict()["touchpoints"]
    ]
    return render(
        request,
        "journey.html.j2",
        {"moments": moments, "figure": figure, "rows": rows},
    )
