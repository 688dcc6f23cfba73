"""RATER scoring against an independent computation on generated answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from carlzon.surveys.rater import DIMENSIONS
from carlzon.surveys.rater_scores import cronbach_alpha, rater_scores


def answers(n: int = 60, seed: int = 7) -> pd.DataFrame:
    """Respondents with a latent level per dimension, items around it (1-7), expectations higher."""
    rng = np.random.default_rng(seed)
    columns: dict[str, np.ndarray] = {}
    for shift, numbers in zip((0.2, -1.0, -0.5, 0.0, -0.3), DIMENSIONS.values(), strict=True):
        level = rng.normal(4.5 + shift, 1.0, n)
        for i in numbers:
            columns[f"p{i}"] = np.clip(np.round(level + rng.normal(0, 0.6, n)), 1, 7)
            columns[f"e{i}"] = np.clip(np.round(6.0 + rng.normal(0, 0.5, n)), 1, 7)
    return pd.DataFrame(columns)


def alpha_from_covariance(items: np.ndarray) -> float:
    """The same α by another road: k/(k−1) · (1 − trace(C) / sum(C)) of the covariance matrix C."""
    c = np.cov(items, rowvar=False)
    k = items.shape[1]
    return k / (k - 1) * (1 - np.trace(c) / c.sum())


def test_gap_interval_and_alpha_match_an_independent_computation() -> None:
    frame = answers()
    scores = {s.dimension: s for s in rater_scores(frame)}
    for dimension, numbers in DIMENSIONS.items():
        p = frame[[f"p{i}" for i in numbers]].to_numpy()
        e = frame[[f"e{i}" for i in numbers]].to_numpy()
        gaps = (p - e).mean(axis=1)
        low, high = stats.t.interval(0.95, len(gaps) - 1, loc=gaps.mean(), scale=stats.sem(gaps))
        score = scores[dimension]
        assert score.n == 60
        assert score.gap == pytest.approx(gaps.mean(), abs=1e-12)
        assert (score.gap_low, score.gap_high) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))
        assert score.alpha_perception == pytest.approx(alpha_from_covariance(p), abs=1e-9)
        assert score.alpha_expectation == pytest.approx(alpha_from_covariance(e), abs=1e-9)
    assert scores["reliability"].gap < scores["tangibles"].gap  # the planted weakest dimension
    assert scores["reliability"].alpha_perception > 0.7  # items around one level are consistent


def test_perception_only_and_incomplete_answers() -> None:
    frame = answers(n=10).drop(columns=[f"e{i}" for i in range(1, 23)])
    frame.loc[0, "p1"] = None  # an unanswered tangibles item: that respondent leaves tangibles only
    scores = {s.dimension: s for s in rater_scores(frame)}
    assert (scores["tangibles"].n, scores["empathy"].n) == (9, 10)
    assert scores["tangibles"].gap is None and scores["tangibles"].perception is not None
    assert cronbach_alpha(np.ones((5, 4))) is None  # sums that do not vary: no α
