"""The journey map: per touchpoint, in journey order, how much customers talk and how they feel.

Also names the three moments Kahneman's peak-end rule says customers remember: the **peak**
(best-felt touchpoint), the **trough** (worst) and the **end** (the last touchpoint of the
experience itself, i.e. of a 'during' stage, that customers talk about).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from carlzon.journeys.models import Journey, Phase
from carlzon.metrics.scores import mean_interval, nps

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
EMOTIONS = ("poor", "neutral", "happy", "surprised")


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


def _emotion_mix(subset: pd.DataFrame) -> dict[str, float]:
    if subset.empty or "emotion" not in subset:
        return dict.fromkeys(EMOTIONS, float("nan"))
    shares = subset["emotion"].value_counts(normalize=True)
    return {emotion: float(shares.get(emotion, 0.0)) for emotion in EMOTIONS}


def journey_trend(mentions: pd.DataFrame, *, brand: str | None = None, freq: str = "W") -> pd.DataFrame:
    """Mentions and average sentiment per touchpoint per period ('W' weeks, 'M' months), oldest first."""
    data = mentions if brand is None else mentions[mentions["brand"] == brand]
    data = data.dropna(subset=["created_at"])
    if data.empty:
        return pd.DataFrame(columns=["period", "touchpoint_id", "mentions", "sentiment"])
    period = data["created_at"].dt.tz_convert(None).dt.to_period(freq).dt.start_time
    return (
        data.assign(period=period)
        .groupby(["period", "touchpoint_id"])
        .agg(mentions=("sentiment", "size"), sentiment=("sentiment", "mean"))
        .reset_index()
    )


def build_journey_map(
    journey: Journey,
    mentions: pd.DataFrame,
    *,
    records: int,
    brand: str | None = None,
    min_mentions: int | None = None,
) -> JourneyMap:
    """Summarise touchpoint ``mentions`` (feedback_id, touchpoint_id, sentiment, brand, nps).

    ``records`` is how many feedback texts were analysed (share of voice is per record);
    touchpoints with fewer than ``min_mentions`` mentions cannot be peak, trough or end.
    """
    if brand is not None:
        mentions = mentions[mentions["brand"] == brand]
    threshold = min_mentions if min_mentions is not None else max(10, records // 100)
    rows = []
    position = 0
    for stage in journey.stages:
        for tp in stage.touchpoints:
            subset = mentions[mentions["touchpoint_id"] == tp.id]
            estimate = mean_interval(subset["sentiment"].to_numpy())
            # One NPS answer per customer record, even if the text names the touchpoint twice.
            answers = subset.drop_duplicates("feedback_id")["nps"].dropna().to_numpy()
            score = nps(answers)
            count = len(subset)
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
                    "negative_share": float((subset["sentiment"] < -0.2).mean()) if count else float("nan"),
                    "positive_share": float((subset["sentiment"] > 0.2).mean()) if count else float("nan"),
                    "nps": score.value,
                    "nps_n": score.n,
                    **_emotion_mix(subset),
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
