"""Which analysed records a rule's ``when`` matches.

Most conditions become a RecordFilter the store evaluates in SQL (storage.actions.rule_matches);
keywords are matched on the normalised text (simplified Chinese, lower case), so a keyword
written in zh-Hans also finds the zh-Hant spelling. What SQL cannot say portably is applied here
to the rows it returns: regular expressions, the customer segment (a value in meta), and repeat
complaints (the customers' earlier negative records, from the store).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import numpy as np
import pandas as pd

from carlzon.actions.models import RecordFilter
from carlzon.actions.rules import Rule, RuleSet
from carlzon.analysis.language import normalise
from carlzon.journeys.models import Journey

History = Callable[[list[str]], pd.DataFrame]  # customer ids -> (customer_id, created_at) of negative records


def record_filter(rule: Rule, rules: RuleSet, journey: Journey) -> RecordFilter:
    """The part of ``rule.when`` the store evaluates."""
    when = rule.when
    touchpoints = set(when.touchpoint)
    for stage in journey.stages:
        if stage.id in when.stage:
            touchpoints |= {tp.id for tp in stage.touchpoints}
    if when.stage and not touchpoints:
        touchpoints = {"\x00none"}  # a stage without touchpoints matches nothing, not everything
    return RecordFilter(
        touchpoints=frozenset(touchpoints),
        sentiment_at_most=when.sentiment_at_most,
        emotions=tuple(when.emotion),
        channels=tuple(c.value for c in when.channel),
        brands=tuple(when.brand),
        stores=tuple(when.store),
        nps_at_most=when.nps_at_most,
        csat_at_most=when.csat_at_most,
        reach_above=when.reach_above,
        min_severity=when.severity.rank if when.severity is not None else None,
        keywords=tuple(k for k in (normalise(word) for word in when.keywords) if k),
        sensitive=tuple(rules.sensitive),
    )


def needs_text(rule: Rule) -> bool:
    return rule.when.regex is not None


def needs_meta(rule: Rule) -> bool:
    return bool(rule.when.segment or rule.when.qa_missing_step or rule.when.survey)


def remaining_mask(rule: Rule, rows: pd.DataFrame, history: History | None) -> np.ndarray:
    """Which of the store's matches also meet the conditions SQL left out."""
    when = rule.when
    mask = np.ones(len(rows), dtype=bool)
    if when.regex is not None and len(rows):
        compiled = re.compile(when.regex, re.I)
        in_text = rows["text"].fillna("").astype(str).str.contains(compiled).to_numpy(dtype=bool)
        in_normalised = rows["normalised"].fillna("").astype(str).str.contains(compiled).to_numpy(dtype=bool)
        mask &= in_text | in_normalised
    if when.segment and len(rows):
        segments = [m.get("segment") if isinstance(m, dict) else None for m in rows["meta"]]
        mask &= np.array([s in when.segment for s in segments], dtype=bool)
    if when.qa_missing_step and len(rows):
        wanted = set(when.qa_missing_step)
        missed = [_qa(m).get("missing") or [] for m in rows["meta"]]
        mask &= np.array([bool(wanted.intersection(steps)) for steps in missed], dtype=bool)
    if when.survey and len(rows):
        answered = [_survey_of(m) for m in rows["meta"]]
        mask &= np.array([s is not None and ("*" in when.survey or s in when.survey) for s in answered], dtype=bool)
    if when.repeat_within is not None:
        mask &= _repeats(rows, mask, when.repeat_within, history)
    return mask


def _qa(meta: object) -> dict:
    """A conversation record's QA reading (meta.qa, written by carlzon qa import); {} for other records."""
    qa = meta.get("qa") if isinstance(meta, dict) else None
    return qa if isinstance(qa, dict) else {}


def _survey_of(meta: object) -> str | None:
    """The survey a record answers (meta.survey.id, written by the survey page); None for other records."""
    survey = meta.get("survey") if isinstance(meta, dict) else None
    found = survey.get("id") if isinstance(survey, dict) else None
    return found if isinstance(found, str) else None


def _repeats(rows: pd.DataFrame, mask: np.ndarray, within: timedelta, history: History | None) -> np.ndarray:
    """Rows whose customer had a negative record in the ``within`` before this one."""
    out = np.zeros(len(rows), dtype=bool)
    if not len(rows) or history is None:
        return out
    candidates = np.flatnonzero(mask & rows["customer_id"].notna().to_numpy() & rows["created_at"].notna().to_numpy())
    if not len(candidates):
        return out
    earlier = history(sorted({str(rows["customer_id"].iat[i]) for i in candidates}))
    if earlier.empty:
        return out
    # Seconds since the epoch on both sides: the store's times are zone-aware, numpy's are not.
    times = {c: np.sort([t.timestamp() for t in g["created_at"]]) for c, g in earlier.groupby("customer_id")}
    seconds = within.total_seconds()
    for i in candidates:
        seen = times.get(str(rows["customer_id"].iat[i]))
        if seen is None:
            continue
        at = rows["created_at"].iat[i].timestamp()
        out[i] = bool(((seen >= at - seconds) & (seen < at)).any())
    return out
