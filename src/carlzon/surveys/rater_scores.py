"""RATER / SERVQUAL scoring: the gap (perception − expectation) per dimension with its 95 % interval,
and Cronbach's α of each dimension's items (how consistently they measure one thing).

Answers come as one row per respondent with columns ``p1`` … ``p22`` (perception, 1–7) and, when
the battery asked for them, ``e1`` … ``e22`` (expectation). A respondent counts in a dimension when
they answered all its items (α needs complete rows); the gap's interval is Student's t over the
respondents' own dimension gaps, which holds its coverage at the small n of one store's week.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from carlzon.surveys.rater import DIMENSIONS


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    n: int
    perception: float | None
    expectation: float | None
    gap: float | None
    gap_low: float | None
    gap_high: float | None
    alpha_perception: float | None
    alpha_expectation: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def cronbach_alpha(items: np.ndarray) -> float | None:
    """α of a respondents × items matrix: k/(k−1) · (1 − Σ item variances / variance of the sum);
    None with fewer than two items or respondents, or when the sums do not vary."""
    respondents, k = items.shape
    if k < 2 or respondents < 2:
        return None
    total = items.sum(axis=1).var(ddof=1)
    if total == 0:
        return None
    return float(k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / total))


def rater_scores(answers: pd.DataFrame) -> list[DimensionScore]:
    """Per dimension: means, the gap with its interval, and α of perception and expectation."""
    from scipy import stats

    out = []
    for dimension, numbers in DIMENSIONS.items():
        perceived = [f"p{i}" for i in numbers]
        expected = [f"e{i}" for i in numbers]
        with_expectation = all(column in answers for column in expected)
        columns = perceived + (expected if with_expectation else [])
        if not all(column in answers for column in perceived):
            out.append(DimensionScore(dimension, 0, None, None, None, None, None, None, None))
            continue
        complete = answers[columns].apply(pd.to_numeric, errors="coerce").dropna()
        n = len(complete)
        p = complete[perceived].to_numpy(dtype=float)
        e = complete[expected].to_numpy(dtype=float) if with_expectation else None
        gap = low = high = None
        if e is not None and n:
            gaps = (p - e).mean(axis=1)
            gap = float(gaps.mean())
            if n >= 2:
                half = float(stats.t.ppf(0.975, n - 1) * gaps.std(ddof=1) / np.sqrt(n))
                low, high = gap - half, gap + half
        out.append(
            DimensionScore(
                dimension,
                n,
                float(p.mean()) if n else None,
                float(e.mean()) if e is not None and n else None,
                gap,
                low,
                high,
                cronbach_alpha(p),
                cronbach_alpha(e) if e is not None else None,
            )
        )
    return out
