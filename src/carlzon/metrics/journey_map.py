"""The journey map: per touchpoint, in journey order, how much customers talk and how they feel.

Also names the three moments Kahneman's peak-end rule says customers remember: the **peak**
(best-felt touchpoint), the **trough** (worst) and the **end** (the last touchpoint of the
experience itself, i.e. of a 'during' stage, that customers talk about).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from carlzon.analysis.sentiment.cues import NEUTRAL_BAND
from carlzon.journeys.models import Journey, Phase
from carlzon.metrics.scores import mean_interval_from_sums, nps_from_counts
from carlzon.metrics.serialise import json_number, json_records
from carlzon.storage.totals import EMOTIONS, STAT_COLUMNS

MAP_COLUMNS = [
    "touchpoint_id",
    "name_zh",
    "name_en",
    "stage_id",
    "stage_en",
    "phase",
    "owner",
    "moment",
    "position",
    "mentions",
    "share",
    "sentiment",
    "sentiment_low",
    "sentiment_high",
    "negative_share",
    "positive_share",
    "nps",
    "nps_n",
    "poor",
    "neutral",
    "happy",
    "surprised",
]


@dataclass(frozen=True)
class StageSummary:
    """A stage's mentions and average sentiment (the journey map at stage level)."""

    stage_id: str
    name_en: str
    mentions: int
    sentiment: float


@dataclass(frozen=True)
class JourneyMap:
    """Per-touchpoint rows (``table``) plus the peak, trough and end touchpoint ids."""

    journey: Journey
    table: pd.DataFrame
    peak: str | None
    trough: str | None
    end: str | None
    records: int
    min_mentions: int

    def stages(self) -> list[StageSummary]:
        """Per stage, in journey order: mentions and mention-weighted average sentiment."""
        out = []
        for stage in self.journey.stages:
            rows = self.table[(self.table["stage_id"] == stage.id) & (self.table["mentions"] > 0)]
            count = int(rows["mentions"].sum())
            mean = float((rows["sentiment"] * rows["mentions"]).sum() / count) if count else float("nan")
            out.append(StageSummary(stage.id, stage.name.en, count, mean))
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `carlzon journey-map --json` and of the web API: per-touchpoint rows in
        journey order (NaN as null), the peak, trough and end, and what they rest on."""
        return {
            "journey_id": self.journey.id,
            "records": self.records,
            "min_mentions": self.min_mentions,
            "peak": self.peak,
            "trough": self.trough,
            "end": self.end,
            "touchpoints": json_records(self.table),
            "stages": [asdict(stage) | {"sentiment": json_number(stage.sentiment)} for stage in self.stages()],
        }


def mention_stats(mentions: pd.DataFrame) -> pd.DataFrame:
    """Per touchpoint and brand, what the journey map and the ranking need of a mentions frame
    (feedback_id, touchpoint_id, sentiment, brand, nps, emotion): the same columns Store.mention_stats
    computes in SQL (STAT_COLUMNS), so both paths meet in journey_map_from_stats."""
    if mentions.empty:
        return pd.DataFrame(columns=STAT_COLUMNS)
    sentiment = mentions["sentiment"].astype(float)
    emotion = mentions["emotion"] if "emotion" in mentions else pd.Series("", index=mentions.index)
    # One NPS answer per customer record, even if the text names the touchpoint twice.
    first = ~mentions.duplicated(["touchpoint_id", "feedback_id"])
    answer = mentions["nps"].where(first)
    parts = pd.DataFrame(
        {
            "touchpoint_id": mentions["touchpoint_id"],
            "brand": mentions["brand"],
            "mentions": 1,
            "total": sentiment,
            "squares": sentiment * sentiment,
            "negative": (sentiment < -NEUTRAL_BAND).astype(int),
            "positive": (sentiment > NEUTRAL_BAND).astype(int),
            **{e: (emotion == e).astype(int) for e in EMOTIONS},
            "nps_n": answer.notna().astype(int),
            "promoters": (answer >= 9).astype(int),
            "detractors": (answer <= 6).astype(int),
        }
    )
    return parts.groupby(["touchpoint_id", "brand"], as_index=False, dropna=False).sum()[STAT_COLUMNS]


def journey_trend(mentions: pd.DataFrame, *, brand: str | None = None, freq: str = "W") -> pd.DataFrame:
    """Mentions and average sentiment per touchpoint per period ('W' weeks, 'M' months), oldest first."""
    data = mentions if brand is None else mentions[mentions["brand"] == brand]
    data = data.dropna(subset=["created_at"])
    if data.empty:
        return pd.DataFrame(columns=["period", "touchpoint_id", "mentions", "sentiment"])
    daily = data.assign(day=data["created_at"].dt.tz_convert(None).dt.normalize())
    daily = daily.groupby(["day", "touchpoint_id"], as_index=False).agg(
        mentions=("sentiment", "size"), total=("sentiment", "sum")
    )
    return trend_from_daily(daily, freq=freq)


def trend_from_daily(daily: pd.DataFrame, *, freq: str = "W") -> pd.DataFrame:
    """Per-day mention counts and sentiment sums (day, touchpoint_id, mentions, total) rolled up into
    periods: mentions and average sentiment per touchpoint per period, oldest first."""
    if daily.empty:
        return pd.DataFrame(columns=["period", "touchpoint_id", "mentions", "sentiment"])
    period = pd.to_datetime(daily["day"]).dt.to_period(freq).dt.start_time
    rolled = (
        daily.assign(period=period).groupby(["period", "touchpoint_id"], as_index=False)[["mentions", "total"]].sum()
    )
    return rolled.assign(sentiment=rolled["total"] / rolled["mentions"])[
        ["period", "touchpoint_id", "mentions", "sentiment"]
    ]


def build_journey_map(
    journey: Journey,
    mentions: pd.DataFrame,
    *,
    records: int,
    brand: str | None = None,
    min_mentions: int | None = None,
) -> JourneyMap:
    """Summarise touchpoint ``mentions`` (feedback_id, touchpoint_id, sentiment, brand, nps, emotion).

    ``records`` is how many feedback texts were analysed (share of voice is per record);
    touchpoints with fewer than ``min_mentions`` mentions cannot be peak, trough or end.
    """
    return journey_map_from_stats(
        journey, mention_stats(mentions), records=records, brand=brand, min_mentions=min_mentions
    )


def journey_map_from_stats(
    journey: Journey,
    stats: pd.DataFrame,
    *,
    records: int,
    brand: str | None = None,
    min_mentions: int | None = None,
) -> JourneyMap:
    """The journey map from per-touchpoint-and-brand sums (mention_stats, Store.mention_stats)."""
    if brand is not None:
        stats = stats[stats["brand"] == brand]
    sums = stats.groupby("touchpoint_id")[STAT_COLUMNS[2:]].sum()
    threshold = min_mentions if min_mentions is not None else max(10, records // 100)
    rows = []
    position = 0
    for stage in journey.stages:
        for tp in stage.touchpoints:
            row = sums.loc[tp.id] if tp.id in sums.index else None
            count = int(row["mentions"]) if row is not None else 0
            if count:
                estimate = mean_interval_from_sums(count, float(row["total"]), float(row["squares"]))
                score = nps_from_counts(int(row["promoters"]), int(row["detractors"]), int(row["nps_n"]))
                shares = {e: float(row[e]) / count for e in EMOTIONS}
            else:
                estimate, score = mean_interval_from_sums(0, 0.0, 0.0), nps_from_counts(0, 0, 0)
                shares = dict.fromkeys(EMOTIONS, float("nan"))
            rows.append(
                {
                    "touchpoint_id": tp.id,
                    "name_zh": tp.name.zh,
                    "name_en": tp.name.en,
                    "stage_id": stage.id,
                    "stage_en": stage.name.en,
                    "phase": stage.phase.value,
                    "owner": tp.owner,
                    "moment": tp.moment.value,
                    "position": position,
                    "mentions": count,
                    "share": count / records if records else 0.0,
                    "sentiment": estimate.value,
                    "sentiment_low": estimate.low,
                    "sentiment_high": estimate.high,
                    "negative_share": float(row["negative"]) / count if count else float("nan"),
                    "positive_share": float(row["positive"]) / count if count else float("nan"),
                    "nps": score.value,
                    "nps_n": score.n,
                    **shares,
                }
            )
            position += 1
    table = pd.DataFrame(rows, columns=MAP_COLUMNS)
    eligible = table[table["mentions"] >= threshold]
    peak = str(eligible.loc[eligible["sentiment"].idxmax(), "touchpoint_id"]) if len(eligible) else None
    trough = str(eligible.loc[eligible["sentiment"].idxmin(), "touchpoint_id"]) if len(eligible) else None
    during = eligible[eligible["phase"] == Phase.DURING.value]
    end = str(during.iloc[-1]["touchpoint_id"]) if len(during) else None
    return JourneyMap(journey, table, peak, trough, end, records, threshold)
