"""Alerts: a touchpoint (at a store) suddenly worse than its own history, or a store's NPS under
a floor. Each fired alert says why, in numbers, and opens a task like a rule's match does.

Why a robust z-score: complaint counts are small and spiky, and one bad week in the history must
not hide the next one (a mean and standard deviation would). The baseline is the median of the
history's periods and the spread their median absolute deviation (×1.4826, floored at one
complaint so a quiet history does not turn two complaints into an anomaly), and an alert also
needs ``min_negative`` complaints in the period: three complaints are not an "anomaly".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from carlzon.actions.fields import Duration
from carlzon.journeys.models import Journey

MAD_SCALE = 1.4826  # MAD × this estimates the standard deviation of normal data
PERIODS = {"day": timedelta(days=1), "hour": timedelta(hours=1)}


class AlertThen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    department: str | None = Field(default=None, description="Default: the touchpoint's owner, else CX")
    priority: Literal["low", "medium", "high", "critical"] = "high"
    notify: list[str] = Field(default_factory=list)


class Alert(BaseModel):
    """One alert check of the rules file's ``alerts`` section."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    kind: Literal["negative_spike", "nps_below"]
    period: Literal["day", "hour"] = "day"
    history: int = Field(default=28, ge=3, le=400, description="negative_spike: periods of history")
    min_negative: int = Field(default=5, ge=1, description="negative_spike: at least this many in the period")
    z_above: float = Field(default=3.0, gt=0, description="negative_spike: robust z-score above this")
    below: float = Field(default=0.0, ge=-100, le=100, description="nps_below: NPS under this")
    over: Duration = Field(default=timedelta(days=30), description="nps_below: the window")
    min_responses: int = Field(default=20, ge=1, description="nps_below: at least this many answers")
    then: AlertThen = Field(default_factory=AlertThen)


@dataclass
class FiredAlert:
    alert_id: str
    kind: str
    touchpoint_id: str | None
    location: str
    period_start: str
    value: float
    baseline: float
    reason: str
    task_id: int | None = None


def robust_z(value: float, history: np.ndarray) -> tuple[float, float, float]:
    """(z, median, spread) of ``value`` against ``history``."""
    median = float(np.median(history))
    spread = max(MAD_SCALE * float(np.median(np.abs(history - median))), 1.0)
    return (value - median) / spread, median, spread


def negative_spikes(alert: Alert, mentions: pd.DataFrame, now: datetime, journey: Journey) -> list[FiredAlert]:
    """Touchpoints at stores whose last complete period had far more complaints than their history."""
    step = PERIODS[alert.period]
    end = floor_time(now, step)  # the last complete period is [end - step, end)
    start = end - step
    first = start - step * alert.history
    frame = mentions[(mentions["created_at"] >= first) & (mentions["created_at"] < end)]
    if frame.empty:
        return []
    slots = ((frame["created_at"] - first) // pd.Timedelta(step)).astype(int)
    counts = (
        frame.assign(slot=slots)
        .groupby(["touchpoint_key", "location", "slot"])
        .agg(negative=("negative", "sum"), total=("negative", "size"))
    )
    fired = []
    for (touchpoint, location), group in counts.groupby(level=[0, 1]):
        by_slot = group.droplevel([0, 1])
        current = by_slot.loc[alert.history] if alert.history in by_slot.index else None
        if current is None or int(current["negative"]) < alert.min_negative:
            continue
        negatives = by_slot["negative"].reindex(range(alert.history), fill_value=0).to_numpy(dtype=float)
        z, median, _ = robust_z(float(current["negative"]), negatives)
        if z <= alert.z_above:
            continue
        totals = by_slot["total"].reindex(range(alert.history), fill_value=0).to_numpy(dtype=float)
        share_now = float(current["negative"]) / float(current["total"])
        share_before = negatives.sum() / totals.sum() if totals.sum() else 0.0
        name = (
            journey.touchpoint(str(touchpoint)).name.en if has_touchpoint(journey, str(touchpoint)) else str(touchpoint)
        )
        where = f" at {location}" if location else ""
        reason = (
            f"{name}{where}: {int(current['negative'])} negative mentions in the {alert.period} from "
            f"{start:%Y-%m-%d %H:%M} UTC against a median of {median:g} over {alert.history} {alert.period}s "
            f"(robust z {z:.1f} > {alert.z_above:g}); negative share {share_now:.0%} against {share_before:.0%}"
        )
        fired.append(
            FiredAlert(
                alert.id,
                alert.kind,
                str(touchpoint),
                str(location),
                start.isoformat(),
                float(current["negative"]),
                median,
                reason,
            )
        )
    return fired


def nps_floors(alert: Alert, scores: pd.DataFrame, now: datetime) -> list[FiredAlert]:
    """Stores whose NPS over the window is under the floor, with enough answers to say so."""
    fired = []
    start = floor_time(now, PERIODS["day"]) - alert.over
    for location, group in scores.groupby("location"):
        n = len(group)
        if n < alert.min_responses:
            continue
        nps = 100 * (float((group["nps"] >= 9).mean()) - float((group["nps"] <= 6).mean()))
        if nps >= alert.below:
            continue
        days = alert.over.total_seconds() / 86400
        place = location or "all stores"
        reason = f"{place}: NPS {nps:.0f} over the last {days:g} days ({n} answers), under {alert.below:g}"
        fired.append(FiredAlert(alert.id, alert.kind, None, str(location), start.isoformat(), nps, alert.below, reason))
    return fired


def has_touchpoint(journey: Journey, touchpoint: str) -> bool:
    return any(tp.id == touchpoint for tp in journey.touchpoints())


def floor_time(moment: datetime, step: timedelta) -> datetime:
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return epoch + ((moment.astimezone(UTC) - epoch) // step) * step
