"""Before/after review (复盘): did the moment's numbers and the goal metric move, beyond noise?

Three readings, in the order a CX manager trusts them:
1. the touchpoint itself — negative share (two-proportion z-test) and sentiment (Mann-Whitney U);
2. the goal metric — NPS of the brand's customers before and after (bootstrap interval of the change);
3. difference-in-differences against a control (the same touchpoint at the other locations when
   the change was local, otherwise the other touchpoints), so a season that lifted everything is
   not credited to the change.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from carlzon.errors import AnalysisError
from carlzon.metrics.distributions import normal_two_sided_p
from carlzon.metrics.intervals import wilson
from carlzon.metrics.scores import nps
from carlzon.metrics.serialise import json_number
from carlzon.mot.models import Improvement

NEGATIVE = -0.2


@dataclass(frozen=True)
class Comparison:
    """One measure before and after, the change, and how sure we are it is real."""

    measure: str
    before: float
    after: float
    n_before: int
    n_after: int
    change: float
    low: float
    high: float
    p_value: float
    test: str


@dataclass(frozen=True)
class ReviewResult:
    """The verdict on an improvement and the evidence behind it."""

    improvement: Improvement
    comparisons: list[Comparison]
    control: str | None
    worked: bool
    summary: str
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `carlzon review --json` and of the web API (NaN as null)."""
        return {
            "improvement": self.improvement.model_dump(mode="json"),
            "worked": self.worked,
            "summary": self.summary,
            "control": self.control,
            "comparisons": [{k: json_number(v) for k, v in asdict(c).items()} for c in self.comparisons],
            "notes": self.notes,
        }


def two_proportion_z(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test."""
    if min(n1, n2) == 0:
        return 1.0
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0
    z = (k2 / n2 - k1 / n1) / se
    return normal_two_sided_p(z)


def difference_in_differences(frame: pd.DataFrame) -> tuple[float, float, float, float]:
    """DiD of ``sentiment`` with columns ``treated`` and ``after`` (0/1): estimate, CI low, high, p.

    With a ``feedback_id`` column the errors are clustered by it: the mentions of one piece of
    feedback (its touchpoint and the other touchpoints serving as control) are not independent.
    Without one, HC1 errors."""
    import statsmodels.formula.api as smf

    formula = smf.ols("sentiment ~ treated * after", data=frame)
    if _clustered(frame):
        groups = pd.factorize(frame["feedback_id"])[0]
        model = formula.fit(cov_type="cluster", cov_kwds={"groups": groups})
    else:
        model = formula.fit(cov_type="HC1")
    estimate = float(model.params["treated:after"])
    low, high = (float(v) for v in model.conf_int().loc["treated:after"])
    return estimate, low, high, float(model.pvalues["treated:after"])


def _clustered(frame: pd.DataFrame) -> bool:
    """Whether some feedback gives several of the rows (so its errors are clustered by feedback)."""
    return "feedback_id" in frame and frame["feedback_id"].nunique() < len(frame)


def review_improvement(mentions: pd.DataFrame, improvement: Improvement, *, alpha: float = 0.05) -> ReviewResult:
    """Compare the improvement's touchpoint and the brand's NPS before and after it started."""
    brand = mentions[mentions["brand"] == improvement.brand].copy()
    if brand.empty:
        raise AnalysisError(f"no analysed feedback for brand {improvement.brand!r}")
    start = pd.Timestamp(improvement.started_on).tz_convert("UTC")
    brand["after"] = (brand["created_at"] >= start).astype(int)
    here = brand["touchpoint_id"] == improvement.touchpoint_id
    if improvement.locations:
        local = brand["location"].isin(improvement.locations)
        treated, control_rows, control = brand[here & local], brand[here & ~local], "same touchpoint, other locations"
    else:
        treated, control_rows, control = brand[here], brand[~here], "other touchpoints"
    before, after = treated[treated["after"] == 0], treated[treated["after"] == 1]
    if len(before) < 10 or len(after) < 10:
        raise AnalysisError(
            f"too few mentions of {improvement.touchpoint_id} to review ({len(before)} before, {len(after)} after "
            "the start date); wait for more feedback"
        )
    scope = brand[brand["location"].isin(improvement.locations)] if improvement.locations else brand
    comparisons = [_negative_share(before, after), _sentiment(before, after), _nps_change(scope, start)]
    did = None
    if control_rows["after"].nunique() == 2 and len(control_rows) >= 20:
        frame = pd.concat([treated.assign(treated=1), control_rows.assign(treated=0)])[
            ["sentiment", "treated", "after", "feedback_id"]
        ]
        estimate, low, high, p_value = difference_in_differences(frame)
        did = Comparison(
            "sentiment vs control (DiD)",
            0.0,
            estimate,
            len(control_rows),
            len(treated),
            estimate,
            low,
            high,
            p_value,
            "OLS interaction, errors clustered by feedback" if _clustered(frame) else "OLS interaction, HC1 errors",
        )
        comparisons.append(did)
    else:
        control = None
    worked, summary, notes = _verdict(improvement, comparisons[0], comparisons[1], comparisons[2], did, alpha)
    return ReviewResult(improvement, comparisons, control, worked, summary, notes)


def _negative_share(before: pd.DataFrame, after: pd.DataFrame) -> Comparison:
    k1, n1 = int((before["sentiment"] < NEGATIVE).sum()), len(before)
    k2, n2 = int((after["sentiment"] < NEGATIVE).sum()), len(after)
    p1, p2 = k1 / n1, k2 / n2
    low, high = newcombe_difference(k1, n1, k2, n2)
    return Comparison(
        "negative share",
        p1,
        p2,
        n1,
        n2,
        p2 - p1,
        low,
        high,
        two_proportion_z(k1, n1, k2, n2),
        "two-proportion z-test",
    )


def newcombe_difference(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float]:
    """95 % interval of p2 - p1 from the two Wilson intervals (Newcombe's hybrid score, method 10):
    it stays sound where the Wald interval collapses, at shares of 0 or 1."""
    p1, p2 = k1 / n1, k2 / n2
    first, second = wilson(k1, n1), wilson(k2, n2)
    low = (p2 - p1) - math.sqrt((p2 - second.low) ** 2 + (first.high - p1) ** 2)
    high = (p2 - p1) + math.sqrt((second.high - p2) ** 2 + (p1 - first.low) ** 2)
    return low, high


SMALL_SAMPLE = 30  # below this many mentions on a side, Mann-Whitney's p is exact, not the normal approximation


def mann_whitney_p(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided Mann-Whitney p: exact for small samples (a permutation test when there are ties,
    which the exact null distribution does not allow), the normal approximation otherwise."""
    if min(len(a), len(b)) >= SMALL_SAMPLE:
        method: object = "asymptotic"
    elif len(np.unique(np.concatenate([a, b]))) == len(a) + len(b):
        method = "exact"
    else:
        method = stats.PermutationMethod(n_resamples=9999, rng=np.random.default_rng(0))
    return float(stats.mannwhitneyu(a, b, alternative="two-sided", method=method).pvalue)


def _sentiment(before: pd.DataFrame, after: pd.DataFrame) -> Comparison:
    a, b = before["sentiment"].to_numpy(), after["sentiment"].to_numpy()
    p_value = mann_whitney_p(a, b)
    change = float(b.mean() - a.mean())
    se = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    return Comparison(
        "average sentiment",
        float(a.mean()),
        float(b.mean()),
        len(a),
        len(b),
        change,
        change - 1.96 * se,
        change + 1.96 * se,
        p_value,
        "Mann-Whitney U",
    )


def _nps_change(brand: pd.DataFrame, start: pd.Timestamp, resamples: int = 1000) -> Comparison:
    answers = brand.drop_duplicates("feedback_id").dropna(subset=["nps"])
    a = answers.loc[answers["created_at"] < start, "nps"].to_numpy(dtype=float)
    b = answers.loc[answers["created_at"] >= start, "nps"].to_numpy(dtype=float)
    if len(a) < 10 or len(b) < 10:
        return Comparison(
            "NPS", math.nan, math.nan, len(a), len(b), math.nan, math.nan, math.nan, 1.0, "too few answers"
        )
    diffs = _nps_draws(b, resamples, 1) - _nps_draws(a, resamples, 2)
    low, high = np.quantile(diffs, [0.025, 0.975])
    before, after = nps(a).value, nps(b).value
    p_value = float(min(1.0, 2 * min((diffs <= 0).mean(), (diffs >= 0).mean())))
    return Comparison(
        "NPS", before, after, len(a), len(b), after - before, float(low), float(high), p_value, "bootstrap"
    )


def _nps_draws(answers: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    """Bootstrap draws of the NPS of ``answers``. NPS depends only on how many promoters, passives
    and detractors a resample holds, so each resample is one multinomial draw of those three counts:
    the same distribution as resampling the answers, in memory that does not grow with them."""
    n = len(answers)
    shares = np.array([(answers >= 9).sum(), ((answers > 6) & (answers < 9)).sum(), (answers <= 6).sum()]) / n
    counts = np.random.default_rng(seed).multinomial(n, shares, size=resamples)
    return 100 * (counts[:, 0] - counts[:, 2]) / n


def _verdict(improvement, negative, sentiment, goal, did, alpha):  # type: ignore[no-untyped-def]
    better_here = negative.change < 0 and negative.p_value < alpha
    beats_control = did is None or (did.change > 0 and did.p_value < alpha)
    worked = better_here and beats_control
    notes = []
    if did is None:
        notes.append("no control group with feedback before and after: the change may be seasonal")
    where = f" at {', '.join(improvement.locations)}" if improvement.locations else ""
    if worked:
        summary = (
            f"It worked: at {improvement.touchpoint_id}{where} negative feedback fell from {negative.before:.0%} to "
            f"{negative.after:.0%} (p = {negative.p_value:.2g})"
        )
        if did is not None:
            summary += f", {did.change:+.2f} sentiment beyond the control (p = {did.p_value:.2g})"
    elif better_here:
        summary = (
            f"Not proven: negative feedback at {improvement.touchpoint_id}{where} fell from {negative.before:.0%} to "
            f"{negative.after:.0%}, but no more than in the control (p = {did.p_value:.2g})"
        )
    else:
        summary = (
            f"It did not work: negative feedback at {improvement.touchpoint_id}{where} went from {negative.before:.0%} "
            f"to {negative.after:.0%}, which is within noise or worse (p = {negative.p_value:.2g})"
        )
    if not math.isnan(goal.change):
        significant = goal.p_value < alpha
        summary += f"; NPS moved {goal.change:+.0f} points (95% CI {goal.low:+.0f} to {goal.high:+.0f})" + (
            "" if significant else ", not beyond noise"
        )
    return worked, summary + ".", notes
