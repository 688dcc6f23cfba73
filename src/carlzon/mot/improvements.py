"""Improvements made at touchpoints, and the before/after review (复盘) of each: the service the
CLI's `review` commands, the report and the web app call.

Apart from mot/service.py because a review needs scipy.stats and statsmodels, which the journey map
and the ranking do not (importing them costs a second).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from pydantic import ValidationError

from carlzon.errors import AnalysisError, InputError
from carlzon.mot.models import Improvement
from carlzon.mot.review import ReviewResult, review_improvement
from carlzon.storage.store import Store


def review_all(*, store: Store, journey_id: str, brand: str | None = None) -> list[ReviewResult]:
    """The before/after verdict of every improvement recorded on a journey (for one brand if given)."""
    return [
        review_improvement(store.review_frame(journey_id, improvement.brand), improvement)
        for improvement in store.list_improvements(journey_id)
        if brand is None or improvement.brand == brand
    ]


def reviews_so_far(*, store: Store, journey_id: str, brand: str | None = None) -> tuple[list[ReviewResult], list[str]]:
    """The reviews that can be judged now, and for the others why not yet (too few mentions since
    the start date): what a report shows, so one young improvement does not stop it."""
    reviews, pending = [], []
    for improvement in store.list_improvements(journey_id):
        if brand is not None and improvement.brand != brand:
            continue
        try:
            reviews.append(review_improvement(store.review_frame(journey_id, improvement.brand), improvement))
        except AnalysisError as exc:
            pending.append(f"{improvement.description}: {exc}")
    return reviews, pending


def add_improvement(
    *,
    store: Store,
    journey_id: str,
    touchpoint_id: str,
    started_on: str | date | datetime,
    description: str,
    brand: str,
    cost: float | None = None,
    locations: Sequence[str] = (),
) -> Improvement:
    """Record a change made at a touchpoint so that review_all can judge it: the date must be a date
    (a day without a time is midnight UTC), the touchpoint one of the journey's, the cost not negative."""
    journey = store.get_journey(journey_id)
    if touchpoint_id not in {tp.id for tp in journey.touchpoints()}:
        known = ", ".join(tp.id for tp in journey.touchpoints())
        raise InputError(f"journey '{journey_id}' has no touchpoint '{touchpoint_id}'; its touchpoints: {known}")
    started = parse_moment(started_on)
    try:
        improvement = Improvement(
            journey_id=journey_id,
            touchpoint_id=touchpoint_id,
            brand=brand,
            started_on=started,
            description=description,
            cost=cost,
            locations=list(locations),
        )
    except ValidationError as exc:
        problem = exc.errors()[0]
        raise InputError(f"improvement field '{problem['loc'][0]}': {problem['msg']}") from None
    return store.add_improvement(improvement)


def parse_moment(value: str | date | datetime) -> datetime:
    """A date or time as an aware datetime (UTC when it names no time zone)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InputError(f"{value!r} is not a date; write it as 2026-10-10 (or 2026-10-10T09:00+08:00)") from None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
