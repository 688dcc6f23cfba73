"""One touchpoint of a brand's journey up close: its numbers on the map, its weekly trend, its
pain and delight points and the latest verbatims about it — what the journey page opens on a click."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from carlzon.analysis.points import Point, stored_points
from carlzon.errors import NotFoundError
from carlzon.metrics.journey_map import trend_from_daily
from carlzon.mot.service import BrandMap, map_journey
from carlzon.storage.store import Store

VERBATIMS = 12


@dataclass(frozen=True)
class TouchpointView:
    brand_map: BrandMap
    touchpoint_id: str
    row: dict[str, Any]
    trend: pd.DataFrame
    pains: list[Point] = field(default_factory=list)
    delights: list[Point] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "journey_id": self.brand_map.journey.id,
            "brand": self.brand_map.brand,
            "touchpoint": self.row,
            "trend": [
                {"period": str(r.period.date()), "mentions": int(r.mentions), "sentiment": float(r.sentiment)}
                for r in self.trend.itertuples()
            ],
            "pains": [asdict(p) for p in self.pains],
            "delights": [asdict(p) for p in self.delights],
        }


def view_touchpoint(
    *, store: Store, journey_id: str, touchpoint_id: str, brand: str | None = None, with_points: bool = True
) -> TouchpointView:
    """The touchpoint's view; ``with_points`` False leaves out the pain and delight points, which
    quote feedback of every department (for a department member)."""
    brand_map = map_journey(store=store, journey_id=journey_id, brand=brand)
    rows = {r["touchpoint_id"]: r for r in brand_map.journey_map.to_dict()["touchpoints"]}
    if touchpoint_id not in rows:
        raise NotFoundError(f"no touchpoint '{touchpoint_id}' in journey '{journey_id}'")
    daily = store.daily_mentions(journey_id, brand_map.brand)
    trend = trend_from_daily(daily)
    trend = trend[trend["touchpoint_id"] == touchpoint_id]
    points = {
        kind: stored_points(
            store=store, journey_id=journey_id, brand=brand_map.brand, kind=kind, limit=8, touchpoint=touchpoint_id
        )
        for kind in ("pain", "delight")
        if with_points
    }
    return TouchpointView(
        brand_map, touchpoint_id, rows[touchpoint_id], trend, points.get("pain", []), points.get("delight", [])
    )
