"""Every score, cut by any dimension: touchpoint, stage, channel, brand, store or time."""

from __future__ import annotations

import pandas as pd

from carlzon.metrics.intervals import bootstrap, wilson
from carlzon.metrics.scores import ces, csat, nps, rating

CUTS = ("touchpoint_id", "stage_id", "channel", "brand", "location", "month", "week")


def score_table(frame: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """One row per group: records, NPS, CSAT, CES, rating, mean sentiment and negative share, with intervals.

    ``frame`` holds one row per record (or per mention when cutting by touchpoint or stage), with
    any of the columns nps, csat, ces, rating, sentiment; ``by`` is a column or 'month'/'week'.
    Sentiment is averaged over the records that have one (a score without a comment has none);
    ``sentiment_n`` says how many.
    """
    data = frame.copy()
    if by in ("month", "week"):
        data[by] = data["created_at"].dt.tz_convert(None).dt.to_period("M" if by == "month" else "W").astype(str)
    rows = []
    for key, group in data.groupby(by, sort=True, dropna=True):
        row: dict[str, object] = {by: key, "records": len(group)}
        for name, func in (("nps", nps), ("csat", csat), ("ces", ces), ("rating", rating)):
            if name in group and group[name].notna().any():
                estimate = func(group[name].dropna().to_numpy())
                row |= {
                    name: estimate.value,
                    f"{name}_low": estimate.low,
                    f"{name}_high": estimate.high,
                    f"{name}_n": estimate.n,
                }
        if "sentiment" in group:
            said = group["sentiment"].dropna().to_numpy()  # records without text have no sentiment
            mean = bootstrap(said, resamples=500)
            negative = wilson(int((said < -0.2).sum()), len(said))
            row |= {
                "sentiment": mean.value,
                "sentiment_low": mean.low,
                "sentiment_high": mean.high,
                "negative_share": negative.value,
                "negative_low": negative.low,
                "negative_high": negative.high,
                "sentiment_n": len(said),
            }
        rows.append(row)
    return pd.DataFrame(rows)
