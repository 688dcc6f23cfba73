"""The before/after review's methods (issue #17, item 13), checked against scipy and statsmodels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from carlzon.metrics.scores import mean_interval
from carlzon.mot.review import difference_in_differences, mann_whitney_p, newcombe_difference


def test_mann_whitney_is_exact_for_small_samples() -> None:
    rng = np.random.default_rng(4)
    a, b = rng.normal(0, 1, 10), rng.normal(1.3, 1, 10)
    exact = stats.mannwhitneyu(a, b, method="exact").pvalue
    normal = stats.mannwhitneyu(a, b, method="asymptotic").pvalue
    assert mann_whitney_p(a, b) == pytest.approx(exact, abs=1e-12)
    assert abs(exact - normal) > 1e-4  # the approximation the review used to report


def test_mann_whitney_with_ties_at_small_n_is_a_permutation_test() -> None:
    a = np.array([0.0, 0.0, -0.5, -0.5, 0.2, -0.5, 0.0, -0.8, -0.5, 0.0])
    b = np.array([0.5, 0.2, 0.5, 0.0, 0.8, 0.5, 0.2, 0.5, 0.0, 0.8])
    p = mann_whitney_p(a, b)
    assert 0 < p < 0.01 and p == mann_whitney_p(a, b)  # seeded: the same on every run


def test_negative_share_change_uses_newcombe_and_does_not_collapse_at_zero() -> None:
    from statsmodels.stats.proportion import confint_proportions_2indep

    for k1, n1, k2, n2 in ((0, 20, 0, 25), (3, 40, 12, 35), (20, 20, 5, 30)):
        low, high = newcombe_difference(k1, n1, k2, n2)
        expected = confint_proportions_2indep(k2, n2, k1, n1, method="newcomb", compare="diff")
        assert (low, high) == pytest.approx(expected, abs=1e-9)
        assert high - low > 0.05  # the Wald interval of 0/20 against 0/25 was [0, 0]


def test_did_errors_are_clustered_by_feedback() -> None:
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(2)
    rows = []
    for feedback in range(120):
        after, effect = feedback % 2, rng.normal(0, 0.4)  # one feedback's mentions share its mood
        rows.append({"feedback_id": feedback, "treated": 1, "after": after, "sentiment": effect + 0.3 * after})
        rows.append({"feedback_id": feedback, "treated": 0, "after": after, "sentiment": effect + rng.normal(0, 0.1)})
    frame = pd.DataFrame(rows)
    estimate, low, high, p = difference_in_differences(frame)
    assert estimate == pytest.approx(0.3, abs=0.2)
    clustered = smf.ols("sentiment ~ treated * after", data=frame).fit(
        cov_type="cluster", cov_kwds={"groups": frame["feedback_id"].to_numpy()}
    )
    assert (low, high) == pytest.approx(tuple(clustered.conf_int().loc["treated:after"]), abs=1e-9)
    assert p == pytest.approx(clustered.pvalues["treated:after"], abs=1e-12)


def test_one_value_has_no_interval() -> None:
    one = mean_interval([3.0])  # was (-1, 1) whatever the scale
    assert one.value == 3.0 and math.isnan(one.low) and math.isnan(one.high)
