"""Rank the moments of truth, the China Airlines way: all candidates → a focused list → at most 10.

Candidates are the journey's touchpoints plus the emerging topics the analysis found (negative
feedback that matches no touchpoint).

Each candidate touchpoint is scored 0..1 on the four criteria of the method — trough-proneness,
differentiation from competitors, perceivability, memorability — plus its **impact** on
likelihood to recommend (key-driver share) and its **leverage** (impact per unit of improvement
cost, weighted by how central the touchpoint is to the brand's promise). The weighted sum is the
priority. Every cut and every rank comes with its reason in plain words.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from types import SimpleNamespace
from typing import Any

import pandas as pd

from carlzon.analysis.topics import Topic
from carlzon.errors import InputError
from carlzon.journeys.models import Journey
from carlzon.metrics.distributions import welch_p_value
from carlzon.metrics.journey_map import JourneyMap
from carlzon.mot.drivers import DriverAnalysis

MAX_MOMENTS = 10
DEFAULT_COST = 5.0


@dataclass(frozen=True)
class MotWeights:
    """How much each criterion counts in the priority score (they need not sum to 1)."""

    trough: float = 0.25
    differentiation: float = 0.15
    perceivability: float = 0.15
    memorability: float = 0.15
    impact: float = 0.15
    leverage: float = 0.15

    def items(self) -> list[tuple[str, float]]:
        return [(name, getattr(self, name)) for name in CRITERIA]

    @classmethod
    def parse(cls, text: str) -> MotWeights:
        """Weights from ``"trough=0.4,impact=0.3"`` (criteria not named keep their defaults)."""
        values = {}
        for part in text.split(","):
            name, _, number = part.partition("=")
            if name.strip() not in CRITERIA:
                raise InputError(f"weights: unknown criterion {name.strip()!r}; use {', '.join(CRITERIA)}")
            try:
                values[name.strip()] = float(number)
            except ValueError:
                raise InputError(f"weights: {part!r} needs a number, e.g. trough=0.4") from None
        return cls(**values)


CRITERIA = ("trough", "differentiation", "perceivability", "memorability", "impact", "leverage")


@dataclass(frozen=True)
class RankedMoment:
    """One candidate's criteria, priority, reasons, and where the funnel left it."""

    rank: int
    touchpoint_id: str
    name_en: str
    name_zh: str
    owner: str
    priority: float
    criteria: dict[str, float]
    reasons: list[str] = field(default_factory=list)
    stage: str = "moment"  # moment | focused | cut
    cut_reason: str = ""
    gaps: dict[str, tuple[float, float]] = field(default_factory=dict)  # competitor -> (gap, p)

    def to_dict(self) -> dict[str, Any]:
        """One candidate as JSON: its criteria, reasons, funnel stage and gap to each competitor."""
        plain = {k: v for k, v in asdict(self).items() if k != "gaps"}
        return plain | {"gaps": {c: {"gap": gap, "p": p} for c, (gap, p) in self.gaps.items()}}


@dataclass(frozen=True)
class MotRanking:
    """The screening funnel: how many candidates, how many focused, the moments, and the cuts."""

    brand: str
    candidates: int
    focused: int
    moments: list[RankedMoment]
    focused_only: list[RankedMoment]
    cut: list[RankedMoment]

    def all(self) -> list[RankedMoment]:
        """Every candidate, best first."""
        return [*self.moments, *self.focused_only, *self.cut]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `carlzon mot rank --json` and of the web API."""
        return {
            "brand": self.brand,
            "candidates": self.candidates,
            "focused": self.focused,
            "ranking": [moment.to_dict() for moment in self.all()],
        }


def rank_moments(
    journey_map: JourneyMap,
    stats: pd.DataFrame,
    *,
    brand: str,
    weights: MotWeights | None = None,
    drivers: DriverAnalysis | None = None,
    topics: list[Topic] | None = None,
    max_moments: int = MAX_MOMENTS,
) -> MotRanking:
    """Score and screen every touchpoint of ``journey_map`` (built for ``brand``) and every emerging topic.

    ``stats``: per touchpoint and brand, the count, sum and sum of squares of the mentions'
    sentiment (metrics.journey_map.mention_stats, or Store.mention_stats), from which each gap to a
    competitor and its Welch test follow exactly."""
    weights = weights or MotWeights()
    journey = journey_map.journey
    table = journey_map.table
    competitors = sorted(str(b) for b in stats["brand"].dropna().unique() if b != brand)
    by_tp_brand = {
        (r.touchpoint_id, r.brand): _Sample(int(r.mentions), float(r.total), float(r.squares))
        for r in stats.itertuples(index=False)
    }
    max_share = float(table["share"].max()) or 1.0
    impacts = _impacts(drivers, table["touchpoint_id"].tolist())
    leverages = {tp: impacts[tp] / _cost(journey, tp) * journey.touchpoint(tp).fit for tp in impacts}
    max_leverage = max(leverages.values(), default=0.0) or 1.0
    scored = []
    for row in table.itertuples(index=False):
        tp = row.touchpoint_id
        gaps = _gaps(by_tp_brand, tp, brand, competitors)
        significant = [(c, g, p) for c, (g, p) in gaps.items() if p < 0.05]
        remembered = [
            label
            for label, tp_id in (("peak", journey_map.peak), ("trough", journey_map.trough), ("end", journey_map.end))
            if tp_id == tp
        ]
        sentiment = 0.0 if math.isnan(row.sentiment) else float(row.sentiment)
        negative = 0.0 if math.isnan(row.negative_share) else float(row.negative_share)
        criteria = {
            "trough": negative * min(1.0, 0.5 + max(0.0, -sentiment)),
            "differentiation": min(1.0, max((abs(g) for _, g, _ in significant), default=0.0) / 0.5),
            "perceivability": float(row.share) / max_share,
            "memorability": min(1.0, (0.6 if remembered else 0.0) + abs(sentiment) * 0.4),
            "impact": impacts.get(tp, 0.0),
            "leverage": leverages.get(tp, 0.0) / max_leverage,
        }
        priority = sum(weight * criteria[name] for name, weight in weights.items())
        reasons = _reasons(row, criteria, significant, remembered, drivers, tp, journey)
        scored.append((priority, row, criteria, reasons, gaps))
    for topic in topics or []:
        scored.append(_topic_candidate(topic, journey_map, max_share, weights))
    scored.sort(key=lambda item: (-item[0], item[1].position))
    return _screen(scored, brand, journey_map.min_mentions, max_moments)


def _screen(scored, brand: str, min_mentions: int, max_moments: int) -> MotRanking:  # type: ignore[no-untyped-def]
    moments, focused_only, cut = [], [], []
    kept = 0
    for priority, row, criteria, reasons, gaps in scored:
        moment = RankedMoment(
            rank=0,
            touchpoint_id=row.touchpoint_id,
            name_en=row.name_en,
            name_zh=row.name_zh,
            owner=row.owner,
            priority=round(priority, 4),
            criteria={k: round(v, 4) for k, v in criteria.items()},
            reasons=reasons,
            gaps=gaps,
        )
        if row.mentions < min_mentions:
            cut.append(
                _with(moment, "cut", f"rarely mentioned: {row.mentions} mentions, {min_mentions} needed to judge")
            )
        elif max(criteria[c] for c in ("trough", "memorability", "impact")) < 0.25 and not criteria["differentiation"]:
            cut.append(
                _with(
                    moment,
                    "cut",
                    "no criterion stands out: not a trough, not a differentiator, not "
                    "remembered, little impact on recommendation",
                )
            )
        elif kept < max_moments:
            kept += 1
            moments.append(_with(moment, "moment", ""))
        else:
            focused_only.append(_with(moment, "focused", f"ranked below the top {max_moments}"))
    ranked = [
        RankedMoment(**{**m.__dict__, "rank": index}) for index, m in enumerate([*moments, *focused_only, *cut], 1)
    ]
    n_moments, n_focused = len(moments), len(focused_only)
    return MotRanking(
        brand,
        len(scored),
        n_moments + n_focused,
        ranked[:n_moments],
        ranked[n_moments : n_moments + n_focused],
        ranked[n_moments + n_focused :],
    )


def _topic_candidate(topic: Topic, journey_map: JourneyMap, max_share: float, weights: MotWeights):  # type: ignore[no-untyped-def]
    """An emerging topic as a candidate: all its feedback is negative and matches no touchpoint."""
    share = topic.size / journey_map.records if journey_map.records else 0.0
    row = SimpleNamespace(
        touchpoint_id=f"topic:{topic.id}",
        name_en=f"Emerging topic: {topic.label}",
        name_zh="新话题",
        owner="unassigned",
        mentions=topic.size,
        share=share,
        sentiment=topic.sentiment,
        negative_share=1.0,
        position=10_000,
    )
    criteria = {
        "trough": min(1.0, 0.5 + max(0.0, -topic.sentiment)),
        "differentiation": 0.0,
        "perceivability": min(1.0, share / max_share),
        "memorability": min(1.0, abs(topic.sentiment) * 0.4 + (0.2 if topic.new else 0.0)),
        "impact": 0.0,
        "leverage": 0.0,
    }
    reasons = [
        f"emerging topic: {topic.size} negative comments match no touchpoint ({', '.join(topic.terms)}); "
        "a candidate for a new touchpoint"
    ]
    if topic.new:
        reasons.append("new this period: its share of the last 30 days is at least twice what it was before")
    priority = sum(weight * criteria[name] for name, weight in weights.items())
    return priority, row, criteria, reasons, {}


def _with(moment: RankedMoment, stage: str, reason: str) -> RankedMoment:
    return RankedMoment(**{**moment.__dict__, "stage": stage, "cut_reason": reason})


def _cost(journey: Journey, touchpoint_id: str) -> float:
    cost = journey.touchpoint(touchpoint_id).cost
    return max(cost if cost is not None else DEFAULT_COST, 0.5)


@dataclass(frozen=True)
class _Sample:
    """A brand's mentions of a touchpoint, as their count, sum and sum of squares."""

    n: int
    total: float
    squares: float

    @property
    def mean(self) -> float:
        return self.total / self.n

    @property
    def sd(self) -> float:
        return math.sqrt(max(self.squares - self.total * self.mean, 0.0) / (self.n - 1))


def _gaps(by_tp_brand, tp: str, brand: str, competitors: list[str]) -> dict[str, tuple[float, float]]:  # type: ignore[no-untyped-def]
    """Own mean sentiment minus each competitor's, with Welch's t-test p-value."""
    mine = by_tp_brand.get((tp, brand))
    gaps = {}
    for competitor in competitors:
        theirs = by_tp_brand.get((tp, competitor))
        if mine is None or theirs is None or mine.n < 5 or theirs.n < 5:
            continue
        p_value = welch_p_value(mine.mean, mine.sd, mine.n, theirs.mean, theirs.sd, theirs.n)
        p_value = 1.0 if math.isnan(p_value) else p_value  # two constant samples: no test
        gaps[competitor] = (mine.mean - theirs.mean, p_value)
    return gaps


def _impacts(drivers: DriverAnalysis | None, touchpoints: list[str]) -> dict[str, float]:
    """0..1 impact per touchpoint: its key-driver share scaled to the largest; 0 without NPS data."""
    if drivers is None or not drivers.drivers:
        return dict.fromkeys(touchpoints, 0.0)
    top = max(d.share for d in drivers.drivers) or 1.0
    shares = {d.name: d.share / top for d in drivers.drivers}
    return {tp: shares.get(tp, 0.0) for tp in touchpoints}


def _reasons(row, criteria, significant, remembered, drivers, tp, journey) -> list[str]:  # type: ignore[no-untyped-def]
    reasons = []
    if criteria["trough"] >= 0.3:
        reasons.append(
            f"easily becomes a trough: {row.negative_share:.0%} of {row.mentions} mentions are negative "
            f"(average sentiment {row.sentiment:+.2f})"
        )
    for competitor, gap, p_value in sorted(significant, key=lambda s: s[1]):
        side = "worse than" if gap < 0 else "better than"
        reasons.append(f"{side} {competitor} by {abs(gap):.2f} sentiment points (p = {p_value:.2g})")
    if criteria["perceivability"] >= 0.5:
        reasons.append(f"highly perceived: named in {row.share:.0%} of all feedback")
    if remembered:
        reasons.append(f"remembered: it is the {' and '.join(remembered)} moment of the journey")
    if drivers is not None and criteria["impact"] >= 0.25:
        share = next((d.share for d in drivers.drivers if d.name == tp), 0.0)
        reasons.append(f"drives loyalty: {share:.0%} of the explained variation in likelihood to recommend")
    if criteria["leverage"] >= 0.5:
        cost = journey.touchpoint(tp).cost
        reasons.append(f"high leverage: strong impact for its improvement cost ({cost if cost is not None else '?'})")
    if not reasons:
        reasons.append("no criterion stands out: keep monitoring")
    return reasons
