"""Scores with their uncertainty: NPS and mean sentiment, each with a 95 % interval.

Why intervals everywhere: a touchpoint with 12 mentions and one with 1,200 must not look
equally certain on the journey map.
"""

from __future__ import annotations

import math

import numpy as np

from carlzon.metrics.distributions import normal_quantile, t_quantile
from carlzon.metrics.intervals import Estimate, bootstrap, wilson


def mean_interval(values: np.ndarray | list[float], confidence: float = 0.95) -> Estimate:
    """Mean with a Student-t interval; n < 2 gives an interval as wide as the value range."""
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
    if n < 2:
        return Estimate(mean, -1.0, 1.0, n)
    half = t_quantile(0.5 + confidence / 2, n - 1) * sd / math.sqrt(n)
    return Estimate(mean, mean - half, mean + half, n)


def nps(scores: np.ndarray | list[float], confidence: float = 0.95) -> Estimate:
    """Net Promoter Score (-100..100) with the standard multinomial-variance interval.

    NPS = %promoters (9-10) - %detractors (0-6); var = (p + d - (p - d)^2) / n.
    """
    data = np.asarray(scores, dtype=float)
    data = data[~np.isnan(data)]
    return nps_from_counts(int((data >= 9).sum()), int((data <= 6).sum()), int(data.size), confidence)


def nps_from_counts(promoters_n: int, detractors_n: int, n: int, confidence: float = 0.95) -> Estimate:
    """``nps`` from how many of ``n`` answers are promoters (9-10) and detractors (0-6)."""
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    promoters = promoters_n / n
    detractors = detractors_n / n
    value = promoters - detractors
    variance = (promoters + detractors - value**2) / n
    half = normal_quantile(0.5 + confidence / 2) * math.sqrt(max(variance, 0.0))
    return Estimate(100 * value, 100 * (value - half), 100 * (value + half), n)


def top_box(scores: np.ndarray | list[float], *, top: float, confidence: float = 0.95) -> Estimate:
    """Share of answers at or above ``top`` (CSAT top-2-box: top=4 on a 1-5 scale), Wilson interval."""
    data = np.asarray(scores, dtype=float)
    data = data[~np.isnan(data)]
    return wilson(int((data >= top).sum()), int(data.size), confidence)


def csat(scores: np.ndarray | list[float], confidence: float = 0.95) -> Estimate:
    """CSAT as the top-2-box share (4 or 5 on 1-5), in percent."""
    share = top_box(scores, top=4, confidence=confidence)
    return Estimate(100 * share.value, 100 * share.low, 100 * share.high, share.n)


def ces(scores: np.ndarray | list[float], confidence: float = 0.95) -> Estimate:
    """Customer Effort Score: mean of 1-7 answers (lower is easier), bootstrap interval."""
    return bootstrap(scores, confidence=confidence)


def rating(scores: np.ndarray | list[float], confidence: float = 0.95) -> Estimate:
    """Mean star rating (0-5), bootstrap interval."""
    return bootstrap(scores, confidence=confidence)
