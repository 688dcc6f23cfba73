"""Scores of a journey's analysed feedback, cut by any dimension (the `carlzon scores` command)."""

from __future__ import annotations

import pandas as pd

from carlzon.errors import InputError
from carlzon.metrics.cuts import CUTS, score_table
from carlzon.storage.store import Store


def score_cuts(*, store: Store, journey_id: str, by: str, brand: str | None = None) -> pd.DataFrame:
    """NPS, CSAT, CES, rating and sentiment per group of ``by`` (one of CUTS)."""
    if by not in CUTS:
        raise InputError(f"--by {by!r}: choose one of {', '.join(CUTS)}")
    if by in ("touchpoint_id", "stage_id"):
        frame = store.mentions_frame(journey_id)
        journey = store.get_journey(journey_id)
        stage_of = {tp.id: stage.id for stage in journey.stages for tp in stage.touchpoints}
        frame["stage_id"] = frame["touchpoint_id"].map(stage_of)
    else:
        frame = store.analysis_frame(journey_id)
    if brand is not None:
        frame = frame[frame["brand"] == brand]
    if frame.empty:
        raise InputError(
            f"no analysed feedback for journey '{journey_id}'" + (f" and brand {brand!r}" if brand else "")
        )
    return score_table(frame, by=by)
