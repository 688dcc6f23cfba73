"""A first ranking of moments of truth, with the reason for every rank in plain words.

The four criteria of the China Airlines screening (a moment that easily becomes a trough,
differs from competitors, is perceived, is remembered) plus its impact on NPS. Each is scaled
to 0..1 across the candidates and combined with configurable weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from carlzon.metrics.journey_map import JourneyMap


@dataclass(frozen=True)
class MotWeights:
    """How much each criterion counts in the priority score."""

    trough: float = 0.30
    differentiation: float = 0.20
    perceivability: float = 0.15
    memorability: float = 0.15
    impact: float = 0.20


@dataclass(frozen=True)
class RankedMoment:
    """One touchpoint's place in the ranking, its criteria and why."""

    rank: int
    touchpoint_id: str
    name_en: str
    name_zh: str
    owner: str
    priority: float
    criteria: dict[str, float]
    reasons: list[str] = field(default_factory=list)


def rank_moments(
    journey_map: JourneyMap,
    mentions: pd.DataFrame,
    *,
    brand: str,
    weights: MotWeights | None = None,
) -> list[RankedMoment]:
    """Rank the touchpoints of ``journey_map`` (built for ``brand``) as moments of truth."""
    weights = weights or MotWeights()
    table = journey_map.table[journey_map.table["mentions"] >= journey_map.min_mentions]
    if table.empty:
        return []
    own = mentions[mentions["brand"] == brand]
    others = mentions[mentions["brand"] != brand]
    max_share = float(table["share"].max()) or 1.0
    raw = []
    for row in table.itertuples(index=False):
        gap, p_value = _gap_to_competitors(own, others, row.touchpoint_id)
        drop = _nps_drop(own, row.touchpoint_id)
        remembered = [
            label
            for label, tp_id in (
                ("peak", journey_map.peak),
                ("trough", journey_map.trough),
                ("end", journey_map.end),
            )
            if tp_id == row.touchpoint_id
        ]
        criteria = {
            "trough": float(row.negative_share) * min(1.0, 0.5 + max(0.0, -row.sentiment)),
            "differentiation": min(1.0, abs(gap) / 0.5) if p_value < 0.05 else 0.0,
            "perceivability": float(row.share) / max_share,
            "memorability": min(1.0, (0.6 if remembered else 0.0) + abs(row.sentiment) * 0.4),
            "impact": min(1.0, max(0.0, drop) / 4.0),
        }
        priority = sum(getattr(weights, name) * value for name, value in criteria.items())
        reasons = _reasons(row, criteria, gap, p_value, drop, remembered)
        raw.append((priority, row, criteria, reasons))
    raw.sort(key=lambda item: (-item[0], item[1].position))
    return [
        RankedMoment(
            rank=index,
            touchpoint_id=row.touchpoint_id,
            name_en=row.name_en,
            name_zh=row.name_zh,
            owner=row.owner,
            priority=round(priority, 4),
            criteria={k: round(v, 4) for k, v in criteria.items()},
            reasons=reasons,
        )
        for index, (priority, row, criteria, reasons) in enumerate(raw, 1)
    ]


def _gap_to_competitors(own: pd.DataFrame, others: pd.DataFrame, touchpoint_id: str) -> tuple[float, float]:
    """Own mean sentiment minus competitors' at a touchpoint, with Welch's t-test p-value."""
    mine = own.loc[own["touchpoint_id"] == touchpoint_id, "sentiment"].to_numpy()
    theirs = others.loc[others["touchpoint_id"] == touchpoint_id, "sentiment"].to_numpy()
    if len(mine) < 5 or len(theirs) < 5:
        return 0.0, 1.0
    result = stats.ttest_ind(mine, theirs, equal_var=False)
    p_value = float(result.pvalue) if not math.isnan(result.pvalue) else 1.0
    return float(mine.mean() - theirs.mean()), p_value


def _nps_drop(own: pd.DataFrame, touchpoint_id: str) -> float:
    """Mean likelihood-to-recommend of customers *not* unhappy here minus those who are."""
    answered = own.dropna(subset=["nps"])
    if answered.empty:
        return 0.0
    unhappy_ids = set(
        answered.loc[(answered["touchpoint_id"] == touchpoint_id) & (answered["sentiment"] < -0.2), "feedback_id"]
    )
    per_record = answered.drop_duplicates("feedback_id").set_index("feedback_id")["nps"]
    unhappy = per_record[per_record.index.isin(unhappy_ids)].to_numpy()
    rest = per_record[~per_record.index.isin(unhappy_ids)].to_numpy()
    if len(unhappy) < 5 or len(rest) < 5:
        return 0.0
    return float(np.mean(rest) - np.mean(unhappy))


def _reasons(row, criteria, gap, p_value, drop, remembered) -> list[str]:  # type: ignore[no-untyped-def]
    reasons = []
    if criteria["trough"] >= 0.3:
        reasons.append(
            f"easily becomes a trough: {row.negative_share:.0%} of {row.mentions} mentions are negative "
            f"(average sentiment {row.sentiment:+.2f})"
        )
    if criteria["differentiation"] > 0:
        side = "worse than" if gap < 0 else "better than"
        reasons.append(f"{side} competitors by {abs(gap):.2f} sentiment points (p = {p_value:.3g})")
    if criteria["perceivability"] >= 0.5:
        reasons.append(f"highly perceived: named in {row.share:.0%} of all feedback")
    if remembered:
        reasons.append(f"remembered: it is the {' and '.join(remembered)} moment of the journey")
    if criteria["impact"] >= 0.25:
        reasons.append(
            f"drives loyalty: customers unhappy here score {drop:.1f} points lower on likelihood to recommend"
        )
    if not reasons:
        reasons.append("no criterion stands out: keep monitoring")
    return reasons
