"""Journeys, their touchpoints, and the brand's moments: journey map, drivers, MOT ranking."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from carlzon.storage.store import Store
from carlzon.web.deps import Reader, StoreDep
from carlzon.web.schemas import ERRORS

if TYPE_CHECKING:
    from carlzon.mot.service import BrandMoments

router = APIRouter(tags=["journeys"], responses=ERRORS)


@router.get("/journeys", summary="The journeys in the workspace")
def list_journeys(store: StoreDep, _: Reader) -> dict[str, Any]:
    journeys = [store.get_journey(journey_id) for journey_id in store.list_journey_ids()]
    data = [{"id": j.id, "name": j.name.model_dump(), "industry": j.industry} for j in journeys]
    return {"data": data, "count": len(data)}


@router.get("/journeys/{journey_id}", summary="A journey with its stages and touchpoints")
def get_journey(journey_id: str, store: StoreDep, _: Reader) -> dict[str, Any]:
    return store.get_journey(journey_id).model_dump(mode="json")


BrandQuery = Annotated[str | None, Query(description="Default: the brand with most feedback")]


def _moments(store: Store, journey_id: str, brand: str | None) -> BrandMoments:
    from carlzon.mot.service import analyse_moments

    return analyse_moments(store=store, journey_id=journey_id, brand=brand)


@router.get("/journeys/{journey_id}/map", summary="The journey map of a brand: per touchpoint, peak, trough, end")
def journey_map(journey_id: str, store: StoreDep, _: Reader, brand: BrandQuery = None) -> dict[str, Any]:
    from carlzon.mot.service import map_journey

    return map_journey(store=store, journey_id=journey_id, brand=brand).to_dict()


@router.get("/journeys/{journey_id}/moments", summary="Journey map, key drivers and MOT ranking of a brand")
def moments(journey_id: str, store: StoreDep, _: Reader, brand: BrandQuery = None) -> dict[str, Any]:
    return _moments(store, journey_id, brand).to_dict()


@router.get("/journeys/{journey_id}/drivers", summary="Key drivers of NPS: relative weights, performance, quadrants")
def drivers(journey_id: str, store: StoreDep, _: Reader, brand: BrandQuery = None) -> dict[str, Any]:
    from carlzon.errors import AnalysisError

    moments = _moments(store, journey_id, brand)
    if moments.drivers is None:
        raise AnalysisError(moments.drivers_note)
    return moments.drivers.to_dict() | {"brand": moments.brand}


@router.get("/journeys/{journey_id}/reviews", summary="Before/after reviews (复盘) of the recorded improvements")
def reviews(journey_id: str, store: StoreDep, _: Reader, brand: BrandQuery = None) -> dict[str, Any]:
    from carlzon.mot.improvements import reviews_so_far

    store.get_journey(journey_id)
    judged, pending = reviews_so_far(store=store, journey_id=journey_id, brand=brand)
    return {"data": [r.to_dict() for r in judged], "count": len(judged), "pending": pending}


@router.get(
    "/journeys/{journey_id}/touchpoints/{touchpoint_id}",
    summary="One touchpoint of a brand: its numbers, weekly trend, pain and delight points",
)
def touchpoint(
    journey_id: str, touchpoint_id: str, store: StoreDep, principal: Reader, brand: BrandQuery = None
) -> dict[str, Any]:
    from carlzon.mot.touchpoint import view_touchpoint

    return view_touchpoint(
        store=store,
        journey_id=journey_id,
        touchpoint_id=touchpoint_id,
        brand=brand,
        with_points=principal.department is None,  # points quote every department's feedback
    ).to_dict()


class FunnelIn(BaseModel):
    tree: str = Field(max_length=200_000, description="A metric tree or funnel YAML (docs: carlzon funnel --help)")
    daily: str = Field(max_length=20_000_000, description="Daily values as CSV: a date column, one column per step")


@router.post("/funnel", summary="A goal's metric tree or funnel on daily values: every link and the weakest")
def funnel(body: FunnelIn, _: Reader) -> dict[str, Any]:
    import io

    import pandas as pd

    from carlzon.errors import InputError
    from carlzon.metrics.tree import evaluate_tree, parse_tree

    try:
        daily = pd.read_csv(io.StringIO(body.daily))
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(f"the daily values are not a CSV: {str(exc).splitlines()[0]}") from exc
    return evaluate_tree(parse_tree(body.tree), daily).to_dict()
