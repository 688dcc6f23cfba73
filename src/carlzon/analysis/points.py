"""Pain points and delight points: the phrases customers repeat about one touchpoint.

Mentions are grouped by touchpoint and normalised phrase (simplified, lower-case, without
trailing punctuation), so 等了四十分钟才上菜 and 等了四十分鐘才上菜 count as one point.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from carlzon.analysis.language import normalise


@dataclass(frozen=True)
class Point:
    """A pain or delight point: touchpoint, canonical phrase, how often, and one verbatim."""

    touchpoint_id: str
    phrase: str
    count: int
    average_sentiment: float
    example: str


def top_points(mentions: pd.DataFrame, *, kind: str, limit: int = 10) -> list[Point]:
    """The ``limit`` most repeated pain (``kind='pain'``) or delight (``'delight'``) points."""
    if kind not in ("pain", "delight"):
        raise ValueError("kind must be 'pain' or 'delight'")
    if mentions.empty:
        return []
    chosen = mentions[mentions["sentiment"] < -0.2] if kind == "pain" else mentions[mentions["sentiment"] > 0.2]
    if chosen.empty:
        return []
    chosen = chosen.assign(canonical=chosen["phrase"].map(lambda p: normalise(p).strip(" .。!！")))
    grouped = (
        chosen.groupby(["touchpoint_id", "canonical"])
        .agg(count=("sentiment", "size"), average_sentiment=("sentiment", "mean"), example=("phrase", "first"))
        .reset_index()
        .sort_values(["count", "average_sentiment"], ascending=[False, kind == "pain"])
        .head(limit)
    )
    return [
        Point(r.touchpoint_id, r.canonical, int(r.count), round(float(r.average_sentiment), 3), r.example)
        for r in grouped.itertuples(index=False)
    ]
