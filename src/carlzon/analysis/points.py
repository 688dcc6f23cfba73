"""Pain points and delight points: what customers repeat about one touchpoint.

Mentions are grouped by touchpoint and by the opinion words of their phrase (sentiment.py's cue
lexicon, negation kept: "等了", "慢", "not friendly"), so 等了四十分钟才上菜, 等了四十分鐘才上菜 and
等了半小时才上菜 are one point; a phrase with no cue word is its own point (normalised:
simplified, lower-case, without trailing punctuation). The example is the group's shortest verbatim.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from carlzon.analysis.language import normalise
from carlzon.analysis.sentiment.cues import NEUTRAL_BAND
from carlzon.analysis.touchpoints.opinions import phrase_opinion_words
from carlzon.storage.store import Store


@dataclass(frozen=True)
class Point:
    """A pain or delight point: touchpoint, canonical phrase, how often, and one verbatim."""

    touchpoint_id: str
    phrase: str
    count: int
    average_sentiment: float
    example: str

    def to_dict(self) -> dict[str, Any]:
        """The point as JSON (the web API's shape)."""
        return asdict(self)


def point_of(normalised_phrase: str) -> str:
    """The point a normalised phrase makes: its opinion words (as the touchpoint step reads them),
    or the phrase when it has none."""
    text = normalised_phrase.strip(" .。!！")
    return point_from(phrase_opinion_words(text), text)


def point_from(words: list[str], normalised_phrase: str) -> str:
    """The point of a phrase whose opinion words are known (the sentiment step read them clause by clause)."""
    if words:
        return " · ".join(sorted(set(words)))  # sorted: "等了 · 慢" and "慢 · 等了" are one point
    return normalised_phrase.strip(" .。!！")


def canonical_point(phrase: str) -> str:
    """The point a phrase as written makes (see point_of)."""
    return point_of(normalise(phrase))


def top_points(mentions: pd.DataFrame, *, kind: str, limit: int = 10) -> list[Point]:
    """The ``limit`` most repeated pain (``kind='pain'``) or delight (``'delight'``) points."""
    if kind not in ("pain", "delight"):
        raise ValueError("kind must be 'pain' or 'delight'")
    if mentions.empty:
        return []
    chosen = mentions[mentions["sentiment"] < -0.2] if kind == "pain" else mentions[mentions["sentiment"] > 0.2]
    if chosen.empty:
        return []
    chosen = chosen.assign(
        canonical=chosen["point"] if "point" in chosen else chosen["phrase"].map(canonical_point),
        length=chosen["phrase"].str.len(),
    ).sort_values("length", kind="stable")
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


def stored_points(
    *, store: Store, journey_id: str, brand: str, kind: str, limit: int = 10, touchpoint: str | None = None
) -> list[Point]:
    """``top_points`` of the brand's stored mentions (of one ``touchpoint`` if given), grouped and
    counted by the database."""
    if kind not in ("pain", "delight"):
        raise ValueError("kind must be 'pain' or 'delight'")
    pain = kind == "pain"
    rows = store.top_points(
        journey_id,
        brand,
        negative=pain,
        threshold=-NEUTRAL_BAND if pain else NEUTRAL_BAND,
        limit=limit,
        touchpoint=touchpoint,
    )
    return [
        Point(r.touchpoint_id, r.point, int(r.count), round(float(r.average_sentiment), 3), r.example)
        for r in rows.itertuples(index=False)
    ]
