"""Statistics checked against statsmodels, scipy and textbook examples."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from carlzon.metrics.cuts import score_table
from carlzon.metrics.intervals import bootstrap, wilson
from carlzon.metrics.scores import csat
from carlzon.metrics.servqual import cronbach_alpha, servqual
from carlzon.mot.drivers import relative_weights
from carlzon.mot.review import difference_in_differences, two_proportion_z


@pytest.mark.parametrize(("k", "n"), [(0, 10), (3, 10), (45, 120), (999, 1000)])
def test_wilson_matches_statsmodels(k: int, n: int) -> None:
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    estimate = wilson(k, n)
    assert math.isclose(estimate.low, low, abs_tol=1e-9) and math.isclose(estimate.high, high, abs_tol=1e-9)


def test_two_proportion_z_matches_statsmodels() -> None:
    _, p_value = proportions_ztest([52, 31], [120, 115])
    assert math.isclose(two_proportion_z(52, 120, 31, 115), p_value, rel_tol=1e-9)


def test_bootstrap_interval_covers_the_t_interval_roughly() -> None:
    data = np.random.default_rng(3).normal(5, 2, 400)
    estimate = bootstrap(data, resamples=4000)
    assert math.isclose(estimate.value, data.mean())
    half = 1.96 * data.std(ddof=1) / math.sqrt(len(data))
    assert abs((estimate.high - estimate.low) / 2 - half) < 0.03


def test_csat_is_top_two_box_percent() -> None:
    estimate = csat([5, 4, 4, 3, 1, 5, 2, 4])
    assert estimate.value == pytest.approx(62.5)


def test_cronbach_alpha_textbook_example() -> None:
    # Three items, five respondents; by hand: item variances 2.5, 1.7, 2.8 (sum 7.0), variance of the
    # totals 4, 7, 9, 13, 15 is 19.8, so alpha = 3/2 * (1 - 7.0/19.8) = 0.969697
    items = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 4, 5], "c": [1, 3, 3, 5, 5]})
    assert cronbach_alpha(items) == pytest.approx(0.969697, abs=1e-6)


def test_servqual_gap_is_perception_minus_expectation() -> None:
    answers = pd.DataFrame(
        {"E_on_time": [7, 6, 7], "P_on_time": [5, 5, 6], "E_promise": [6, 6, 7], "P_promise": [5, 4, 6]}
    )
    (gap,) = servqual(answers, {"reliability": ["on_time", "promise"]})
    assert gap.gap.value == pytest.approx(((5 - 7 + 5 - 6) / 2 + (5 - 6 + 4 - 6) / 2 + (6 - 7 + 6 - 7) / 2) / 3)
    assert gap.expectation > gap.perception


def _ols_r2(x: np.ndarray, y: np.ndarray, columns: list[int]) -> float:
    if not columns:
        return 0.0
    return float(sm.OLS(y, sm.add_constant(x[:, columns])).fit().rsquared)


def test_relative_weights_sum_to_r2_and_agree_with_shapley_regression() -> None:
    rng = np.random.default_rng(1)
    z = rng.normal(size=(2000, 3))
    x = np.column_stack([z[:, 0], 0.6 * z[:, 0] + 0.8 * z[:, 1], z[:, 2]])
    y = 0.5 * x[:, 0] + 0.3 * x[:, 1] + 0.1 * x[:, 2] + rng.normal(size=2000)
    weights = relative_weights(x, y)
    assert weights.sum() == pytest.approx(_ols_r2(x, y, [0, 1, 2]), rel=1e-9)
    shapley = np.zeros(3)
    for j in range(3):
        others = [k for k in range(3) if k != j]
        for size in range(3):
            for subset in itertools.combinations(others, size):
                weight = math.factorial(size) * math.factorial(2 - size) / math.factorial(3)
                shapley[j] += weight * (_ols_r2(x, y, [*subset, j]) - _ols_r2(x, y, list(subset)))
    assert np.allclose(weights, shapley, atol=0.005)


def test_relative_weights_of_orthogonal_predictors_are_squared_correlations() -> None:
    rng = np.random.default_rng(2)
    q, _ = np.linalg.qr(rng.normal(size=(500, 3)))
    x = (q - q.mean(axis=0)) / q.std(axis=0)
    x, _ = np.linalg.qr(x - x.mean(axis=0))
    y = x @ np.array([3.0, 1.0, 0.0]) + rng.normal(scale=0.05, size=500)
    expected = [np.corrcoef(x[:, j], y)[0, 1] ** 2 for j in range(3)]
    assert np.allclose(relative_weights(x, y), expected, atol=1e-3)


def test_difference_in_differences_equals_the_four_means() -> None:
    rng = np.random.default_rng(4)
    rows = []
    for treated in (0, 1):
        for after in (0, 1):
            mean = 0.1 * treated + 0.2 * after + 0.5 * treated * after
            rows += [{"treated": treated, "after": after, "sentiment": v} for v in rng.normal(mean, 0.3, 200)]
    frame = pd.DataFrame(rows)
    means = frame.groupby(["treated", "after"])["sentiment"].mean()
    by_hand = (means[1, 1] - means[1, 0]) - (means[0, 1] - means[0, 0])
    estimate, low, high, p_value = difference_in_differences(frame)
    assert estimate == pytest.approx(by_hand, rel=1e-9)
    assert low < 0.5 < high and p_value < 1e-6


def test_scores_can_be_cut_by_any_dimension() -> None:
    frame = pd.DataFrame(
        {
            "channel": ["survey", "survey", "store", "store"],
            "nps": [10, 2, 9, None],
            "sentiment": [0.5, -0.5, 0.4, 0.1],
            "created_at": pd.to_datetime(["2026-10-01", "2026-10-02", "2026-11-01", "2026-11-02"], utc=True),
        }
    )
    by_channel = score_table(frame, by="channel").set_index("channel")
    assert by_channel.loc["survey", "nps"] == pytest.approx(0.0)
    assert by_channel.loc["store", "nps"] == pytest.approx(100.0)
    by_month = score_table(frame, by="month")
    assert by_month["month"].tolist() == ["2026-10", "2026-11"]


# mtcars (Henderson & Velleman 1981, Motor Trend 1974): mpg, cyl, disp, hp, gear for the 32 cars.
MTCARS = """21.0 6 160.0 110 4
21.0 6 160.0 110 4
22.8 4 108.0 93 4
21.4 6 258.0 110 3
18.7 8 360.0 175 3
18.1 6 225.0 105 3
14.3 8 360.0 245 3
24.4 4 146.7 62 4
22.8 4 140.8 95 4
19.2 6 167.6 123 4
17.8 6 167.6 123 4
16.4 8 275.8 180 3
17.3 8 275.8 180 3
15.2 8 275.8 180 3
10.4 8 472.0 205 3
10.4 8 460.0 215 3
14.7 8 440.0 230 3
32.4 4 78.7 66 4
30.4 4 75.7 52 4
33.9 4 71.1 65 4
21.5 4 120.1 97 3
15.5 8 318.0 150 3
15.2 8 304.0 150 3
13.3 8 350.0 245 3
19.2 8 400.0 175 3
27.3 4 79.0 66 4
26.0 4 120.3 91 5
30.4 4 95.1 113 5
15.8 8 351.0 264 5
19.7 6 145.0 175 5
15.0 8 301.0 335 5
21.4 4 121.0 109 4"""


def test_relative_weights_reproduce_the_published_rwa_example() -> None:
    # The R package rwa's README: rwa(mtcars, outcome = "mpg", predictors = c("cyl", "disp", "hp", "gear"))
    # gives raw relative weights 0.2284797, 0.2221469, 0.2321744, 0.0963886 and R-square 0.7791896.
    data = np.array([[float(v) for v in line.split()] for line in MTCARS.splitlines()])
    weights = relative_weights(data[:, 1:], data[:, 0])
    assert np.allclose(weights, [0.2284797, 0.2221469, 0.2321744, 0.0963886], atol=5e-7)
    assert weights.sum() == pytest.approx(0.7791896, abs=5e-7)
