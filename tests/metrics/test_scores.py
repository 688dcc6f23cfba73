from __future__ import annotations

import math

import numpy as np
from scipy import stats

from carlzon.metrics.scores import mean_interval, nps


def test_nps_and_its_interval_match_the_textbook_formula() -> None:
    # 50 promoters, 30 passives, 20 detractors: NPS 30, var = (0.5 + 0.2 - 0.09) / 100.
    scores = [10] * 50 + [8] * 30 + [3] * 20
    estimate = nps(scores)
    half = 1.959964 * math.sqrt((0.5 + 0.2 - 0.3**2) / 100) * 100
    assert math.isclose(estimate.value, 30.0)
    assert math.isclose(estimate.low, 30 - half, rel_tol=1e-5)
    assert math.isclose(estimate.high, 30 + half, rel_tol=1e-5)
    assert estimate.n == 100


def test_mean_interval_matches_scipy() -> None:
    data = np.random.default_rng(1).normal(0.2, 0.5, 40)
    low, high = stats.t.interval(0.95, len(data) - 1, loc=data.mean(), scale=stats.sem(data))
    estimate = mean_interval(data)
    assert math.isclose(estimate.low, low) and math.isclose(estimate.high, high)


def test_empty_inputs_are_nan_not_errors() -> None:
    assert math.isnan(nps([]).value) and nps([]).n == 0
    assert math.isnan(mean_interval([]).value)
