"""SERVQUAL / RATER: the gap between what customers expected and what they perceived.

Five dimensions: Reliability, Assurance, Tangibles, Empathy, Responsiveness. Each has several
items, each asked twice (expectation, perception) on the same scale. The gap of an item is
perception minus expectation; a dimension's gap is the mean of its items' gaps; Cronbach's alpha
says whether a dimension's items measure one thing (>= 0.7 is the usual bar).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from carlzon.errors import AnalysisError
from carlzon.metrics.intervals import bootstrap
from carlzon.metrics.scores import Estimate

DIMENSIONS = ("reliability", "assurance", "tangibles", "empathy", "responsiveness")


@dataclass(frozen=True)
class DimensionGap:
    """One RATER dimension: its perception-minus-expectation gap and the items' reliability."""

    dimension: str
    gap: Estimate
    expectation: float
    perception: float
    alpha: float
    items: int


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of item columns (rows are respondents): k/(k-1) * (1 - sum var_i / var_total)."""
    data = items.dropna()
    k = data.shape[1]
    if k < 2 or len(data) < 2:
        return float("nan")
    item_variance = data.var(axis=0, ddof=1).sum()
    total_variance = data.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - item_variance / total_variance)) if total_variance else float("nan")


def servqual(answers: pd.DataFrame, items: dict[str, list[str]]) -> list[DimensionGap]:
    """Gaps per dimension from columns ``E_<item>`` (expectation) and ``P_<item>`` (perception).

    ``items`` maps each dimension to its item names, e.g. {"reliability": ["on_time", "as_promised"]}.
    """
    results = []
    for dimension, names in items.items():
        missing = [c for n in names for c in (f"E_{n}", f"P_{n}") if c not in answers.columns]
        if missing:
            raise AnalysisError(f"SERVQUAL dimension '{dimension}' needs columns {missing}")
        expectation = answers[[f"E_{n}" for n in names]].astype(float)
        perception = answers[[f"P_{n}" for n in names]].astype(float)
        gaps = perception.to_numpy() - expectation.to_numpy()
        per_respondent = np.nanmean(gaps, axis=1)
        results.append(
            DimensionGap(
                dimension=dimension,
                gap=bootstrap(per_respondent),
                expectation=float(np.nanmean(expectation.to_numpy())),
                perception=float(np.nanmean(perception.to_numpy())),
                alpha=cronbach_alpha(perception),
                items=len(names),
            )
        )
    return results
