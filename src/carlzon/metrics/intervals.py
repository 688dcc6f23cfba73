"""Confidence intervals: Wilson for proportions, percentile bootstrap for means and other statistics."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from carlzon.metrics.distributions import normal_quantile


@dataclass(frozen=True)
class Estimate:
    """A point estimate with a confidence interval and the sample size behind it."""

    value: float
    low: float
    high: float
    n: int


def wilson(successes: int, n: int, confidence: float = 0.95) -> Estimate:
    """Share of successes with the Wilson score interval (sound for small n and extreme shares)."""
    if n <= 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    z = normal_quantile(0.5 + confidence / 2)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), n)


def bootstrap(
    values: np.ndarray | list[float],
    statistic: Callable[[np.ndarray], float] = np.mean,
    *,
    confidence: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
) -> Estimate:
    """Statistic of ``values`` with a percentile-bootstrap interval (deterministic for a seed)."""
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    n = int(data.size)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    rng = np.random.default_rng(seed)
    draws = data[rng.integers(0, n, size=(resamples, n))]
    values_ = np.apply_along_axis(statistic, 1, draws) if statistic is not np.mean else draws.mean(axis=1)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(values_, [alpha, 1 - alpha])
    return Estimate(float(statistic(data)), float(low), float(high), n)
