"""Scores with their uncertainty: NPS and mean sentiment, each with a 95 % interval.

Why intervals everywhere: a touchpoint with 12 mentions and one with 1,200 must not look
equally certain on the journey map.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from carlzon.errors import InputError
from carlzon.metrics.distributions import normal_quantile, t_quantile
from carlzon.metrics.intervals import Estimate, bootstrap, wilson


def mean_interval(values: np.ndarray | list[float], confidence: float = 0.95) -> Estimate:
    """Mean with a Student-t interval; with one value there is none (NaN bounds)."""
    data = np.asarray(values, dtype=float)
    n = int(data.size)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    return _t_interval(float(data.mean()), float(data.std(ddof=1)) if n > 1 else 0.0, n, confidence)


def mean_interval_from_sums(n: int, total: float, squares: float, confidence: float = 0.95) -> Estimate:
    """``mean_interval`` from the count, sum and sum of squares of the values (what SQL aggregates give)."""
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    mean = total / n
    variance = max(squares - total * mean, 0.0) / (n - 1) if n > 1 else 0.0
    return _t_interval(mean, math.sqrt(variance), n, confidence)


def _t_interval(mean: float, sd: float, n: int, confidence: float) -> Estimate:
    if n < 2:  # one value says nothing of its spread, on any scale
        return Estimate(mean, math.nan, math.nan, n)
    half = t_quantile(0.5 + confidence / 2, n - 1) * sd / math.sqrt(n)
    return Estimate(mean, mean - half, mean + half, n)


NPS_PSEUDO = 3  # adjusted Wald: 3/4 promoter, 3/2 passive, 3/4 detractor added (Rocks 2016)


def _check_scale(data: np.ndarray, low: float, high: float, name: str) -> None:
    outside = data[(data < low) | (data > high)]
    if outside.size:
        shown = ", ".join(f"{v:g}" for v in outside[:5])
        raise InputError(f"{name} answers run from {low:g} to {high:g}; got {shown}")


def nps(scores: np.ndarray | list[float], confidence: float = 0.95) -> Estimate:
    """Net Promoter Score (-100..100) of 0-10 answers, with an adjusted-Wald interval.

    NPS = %promoters (9-10) - %detractors (0-6). The plain Wald interval, (p + d - (p - d)^2) / n,
    covers less than promised at small n (0.87 at n = 10) and leaves the scale (19 promoters and
    a passive: 85 to 105); Rocks's adjusted Wald adds three pseudo-answers before the variance
    (3/4 promoter, 3/2 passive, 3/4 detractor) and the interval is kept within -100..100.
    The simulation in tests/metrics checks coverage of at least 0.93 at n = 10, 30 and 100.
    """
    data = np.asarray(scores, dtype=float)
    data = data[~np.isnan(data)]
    _check_scale(data, 0, 10, "NPS")
    return nps_from_counts(int((data >= 9).sum()), int((data <= 6).sum()), int(data.size), confidence)


def nps_from_counts(promoters_n: int, detractors_n: int, n: int, confidence: float = 0.95) -> Estimate:
    """``nps`` from how many of ``n`` answers are promoters (9-10) and detractors (0-6)."""
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    value = (promoters_n - detractors_n) / n
    adjusted_n = n + NPS_PSEUDO
    promoters = (promoters_n + NPS_PSEUDO / 4) / adjusted_n
    detractors = (detractors_n + NPS_PSEUDO / 4) / adjusted_n
    centre = promoters - detractors
    variance = (promoters + detractors - centre**2) / adjusted_n
    half = normal_quantile(0.5 + confidence / 2) * math.sqrt(max(variance, 0.0))
    # Within the scale, and never beside the score it qualifies (one promoter alone: 100, [-48, 100]).
    low, high = max(-1.0, min(centre - half, value)), min(1.0, max(centre + half, value))
    return Estimate(100 * value, 100 * low, 100 * high, n)


def top_box(scores: np.ndarray | list[float], *, top: float, confidence: float = 0.95) -> Estimate:
    """Share of answers at or above ``top`` (CSAT top-2-box: top=4 on a 1-5 scale), Wilson interval."""
    data = np.asarray(scores, dtype=float)
    data = data[~np.isnan(data)]
    return wilson(int((data >= top).sum()), int(data.size), confidence)


def csat(scores: np.ndarray | list[float], confidence: float = 0.95) -> Estimate:
    """CSAT as the top-2-box share (4 or 5 on 1-5), in percent."""
    data = np.asarray(scores, dtype=float)
    _check_scale(data[~np.isnan(data)], 1, 5, "CSAT")
    share = top_box(data, top=4, confidence=confidence)
    return Estimate(100 * share.value, 100 * share.low, 100 * share.high, share.n)


def ces(scores: np.ndarray | list[float], confidence: float = 0.95) -> Estimate:
    """Customer Effort Score: mean of 1-7 answers (lower is easier), bootstrap interval."""
    data = np.asarray(scores, dtype=float)
    _check_scale(data[~np.isnan(data)], 1, 7, "CES")
    return bootstrap(data, confidence=confidence)


def rating(scores: np.ndarray | list[float], confidence: float = 0.95) -> Estimate:
    """Mean star rating (0-5), bootstrap interval."""
    data = np.asarray(scores, dtype=float)
    _check_scale(data[~np.isnan(data)], 0, 5, "rating")
    return bootstrap(data, confidence=confidence)


def weekly_scores(daily: pd.DataFrame) -> list[dict[str, Any]]:
    """Per week (Monday): NPS and CSAT (top-2 box) with their intervals and answers, from daily counts
    (Store.daily_scores); a week without answers of a kind has None for it."""
    if daily.empty:
        return []
    weeks = daily.assign(week=daily["day"].dt.to_period("W").dt.start_time).groupby("week").sum(numeric_only=True)
    out = []
    for week, row in weeks.iterrows():
        net = nps_from_counts(int(row["promoters"]), int(row["detractors"]), int(row["nps_n"]))
        satisfied = wilson(int(row["csat_top2"]), int(row["csat_n"]))
        out.append(
            {
                "week": week.date().isoformat(),
                "nps": None if net.n == 0 else round(net.value, 1),
                "nps_low": None if net.n == 0 else round(net.low, 1),
                "nps_high": None if net.n == 0 else round(net.high, 1),
                "nps_n": net.n,
                "csat": None if satisfied.n == 0 else round(100 * satisfied.value, 1),
                "csat_n": satisfied.n,
            }
        )
    return out
