"""The few distribution functions the metrics need, from scipy.special.

Why not scipy.stats: importing it takes about a second, longer than a `carlzon mot rank` should
take on a large store; scipy.stats computes these very functions with the same scipy.special
routines, so the numbers are the same to the last bit.
"""

from __future__ import annotations

import math

from scipy import special


def normal_quantile(p: float) -> float:
    """The standard normal distribution's p-quantile (scipy.stats.norm.ppf)."""
    return float(special.ndtri(p))


def t_quantile(p: float, df: float) -> float:
    """Student's t distribution's p-quantile with ``df`` degrees of freedom (scipy.stats.t.ppf)."""
    return float(special.stdtrit(df, p))


def normal_two_sided_p(z: float) -> float:
    """Two-sided p-value of a standard normal statistic (2 · scipy.stats.norm.sf(|z|))."""
    return float(2 * special.ndtr(-abs(z)))


def welch_p_value(mean1: float, sd1: float, n1: int, mean2: float, sd2: float, n2: int) -> float:
    """Two-sided p-value of Welch's t-test from two samples' means, standard deviations (ddof 1) and
    sizes, as scipy.stats.ttest_ind_from_stats(..., equal_var=False) gives it; NaN when both
    samples are constant."""
    v1, v2 = sd1 * sd1 / n1, sd2 * sd2 / n2
    if v1 + v2 == 0:
        return math.nan
    df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
    t = (mean1 - mean2) / math.sqrt(v1 + v2)
    return float(2 * special.stdtr(df, -abs(t)))
