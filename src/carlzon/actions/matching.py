"""Which analysed records each rule's ``when`` matches: one boolean mask per rule over a chunk.

Conditions are vectorised with pandas; keywords are matched on the normalised text (simplified
Chinese, lower case), so a keyword written in zh-Hans also finds the zh-Hant spelling. The one
condition that needs the store, ``repeat_within``, is given the customers' earlier negative
records by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import numpy as np
import pandas as pd

from carlzon.actions.rules import Rule, RuleSet
from carlzon.actions.severity import NEGATIVE_BELOW, Assessments
from carlzon.analysis.language import normalise
from carlzon.journeys.models import Journey

# The columns a chunk of analysed records carries (storage.Store.analysed_chunks).
COLUMNS = (
    "feedback_id", "text", "normalised", "created_at", "channel", "brand", "location", "customer_id",
    "nps", "csat", "reach", "segment", "sentiment", "emotion", "touchpoints",
)  # fmt: skip
History = Callable[[list[str]], pd.DataFrame]  # customer ids -> (customer_id, created_at) of negative records


def rule_masks(
    rules: RuleSet, chunk: pd.DataFrame, journey: Journey, assessments: Assessments, history: History | None
) -> dict[str, np.ndarray]:
    """Per rule id, which rows of ``chunk`` it matches."""
    stage_touchpoints = {stage.id: {tp.id for tp in stage.touchpoints} for stage in journey.stages}
    ranks = assessments.ranks
    return {rule.id: _mask(rule, chunk, stage_touchpoints, ranks, history) for rule in rules.rules}


def _mask(
    rule: Rule,
    chunk: pd.DataFrame,
    stage_touchpoints: dict[str, set[str]],
    ranks: np.ndarray,
    history: History | None,
) -> np.ndarray:
    when = rule.when
    mask = np.ones(len(chunk), dtype=bool)
    wanted: set[str] = set(when.touchpoint)
    for stage in when.stage:
        wanted |= stage_touchpoints.get(stage, set())
    if when.touchpoint or when.stage:
        mask &= np.array([bool(wanted.intersection(named)) for named in chunk["touchpoints"]], dtype=bool)
    if when.sentiment_at_most is not None:
        mask &= (_numbers(chunk["sentiment"]) <= when.sentiment_at_most).to_numpy()
    for column, values in (
        ("emotion", when.emotion),
        ("channel", [c.value for c in when.channel]),
        ("brand", when.brand),
        ("location", when.store),
        ("segment", when.segment),
    ):
        if values:
            mask &= chunk[column].isin(values).to_numpy()
    if when.severity is not None:
        mask &= ranks >= when.severity.rank
    if when.keywords:
        pattern = "|".join(re.escape(normalise(k)) for k in when.keywords if normalise(k))
        mask &= chunk["normalised"].fillna("").str.contains(pattern, regex=True).to_numpy()
    if when.regex is not None:
        compiled = re.compile(when.regex, re.I)
        text_hit = chunk["text"].fillna("").str.contains(compiled).to_numpy()
        mask &= text_hit | chunk["normalised"].fillna("").str.contains(compiled).to_numpy()
    for column, limit in (("nps", when.nps_at_most), ("csat", when.csat_at_most)):
        if limit is not None:
            mask &= (_numbers(chunk[column]) <= limit).to_numpy()
    if when.reach_above is not None:
        mask &= (_numbers(chunk["reach"]) > when.reach_above).to_numpy()
    if when.repeat_within is not None:
        mask &= _repeats(chunk, mask, when.repeat_within, history)
    return mask


def _numbers(column: pd.Series) -> pd.Series:
    """A nullable column as floats; a missing value never passes a threshold (NaN compares False)."""
    return pd.to_numeric(column, errors="coerce").astype(float)


def _repeats(chunk: pd.DataFrame, mask: np.ndarray, within: timedelta, history: History | None) -> np.ndarray:
    """Rows whose customer had a negative record in the ``within`` before this one."""
    out = np.zeros(len(chunk), dtype=bool)
    candidates = np.flatnonzero(mask & chunk["customer_id"].notna().to_numpy() & chunk["created_at"].notna().to_numpy())
    if not len(candidates) or history is None:
        return out
    customers = sorted({str(chunk["customer_id"].iat[i]) for i in candidates})
    earlier = history(customers)
    if earlier.empty:
        return out
    # Seconds since the epoch on both sides: the store's times are zone-aware, numpy's are not.
    times = {c: np.sort([t.timestamp() for t in g["created_at"]]) for c, g in earlier.groupby("customer_id")}
    seconds = within.total_seconds()
    for i in candidates:
        seen = times.get(str(chunk["customer_id"].iat[i]))
        if seen is None:
            continue
        at = chunk["created_at"].iat[i].timestamp()
        out[i] = bool(((seen >= at - seconds) & (seen < at)).any())
    return out


def is_negative(chunk: pd.DataFrame) -> np.ndarray:
    """Rows that are complaints for ``repeat_within``: sentiment on the negative side."""
    return (_numbers(chunk["sentiment"]) < NEGATIVE_BELOW).to_numpy()
