"""How serious a piece of feedback is, from its text, its sentiment and the touchpoints it names.

Critical is for what must reach a team within the hour whatever the rules say: food safety,
injury, a data leak, a legal threat, a product-quality warning (the terms, in zh-Hans, zh-Hant and
English, are in analysis.severity). High is a strong complaint (sentiment at or below -0.6), a
threat to leave or go public, or a negative mention of a touchpoint the rules file marks
sensitive; medium is any other negative record; low the rest. Every assessment says why.

The same levels are computed by the store in SQL over the stored ``text_severity`` for rules
over a million records (storage.actions.severity_rank); this module says why, for the few
records a person reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from carlzon.analysis.language import normalise
from carlzon.analysis.severity import HIGH, said_terms

NEGATIVE_BELOW = -0.2  # analysis.sentiment.cues.NEUTRAL_BAND: the negative side
STRONG_AT_MOST = -0.6


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


@dataclass(frozen=True)
class Assessment:
    severity: Severity
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"severity": self.severity.value, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Assessments:
    """The assessments of a frame's rows, kept as arrays: ``ranks`` (Severity.rank per row) for
    the rules, and what each reason needs, so a million rows cost no million objects."""

    ranks: np.ndarray
    sentiment: np.ndarray
    terms: dict[int, list[tuple[str, str]]]  # row -> (category, term) said
    sensitive: dict[int, list[str]]  # row -> sensitive touchpoints it is negative about

    def __len__(self) -> int:
        return len(self.ranks)

    def __getitem__(self, i: int) -> Assessment:
        reasons = []
        if self.sentiment[i] <= STRONG_AT_MOST:
            reasons.append(f"strongly negative (sentiment {self.sentiment[i]:+.2f})")
        for category, term in self.terms.get(i, []):
            if category == HIGH:
                reasons.append(f"{category}: '{term}'")
        if i in self.sensitive:
            reasons.append(f"negative about a sensitive touchpoint: {', '.join(self.sensitive[i])}")
        reasons += [f"{category}: '{term}'" for category, term in self.terms.get(i, []) if category != HIGH]
        return Assessment(_BY_RANK[int(self.ranks[i])], tuple(reasons))

    def counts(self) -> dict[str, int]:
        """Rows per severity, low to critical."""
        found = np.bincount(self.ranks, minlength=len(_RANK))
        return {severity.value: int(found[rank]) for severity, rank in _RANK.items()}


_BY_RANK = {rank: severity for severity, rank in _RANK.items()}


def assess(
    text: str, sentiment: float | None = None, touchpoints: Iterable[str] = (), sensitive: Iterable[str] = ()
) -> Assessment:
    """The severity of one record and why."""
    frame = pd.DataFrame({"text": [text], "sentiment": [np.nan if sentiment is None else sentiment]})
    return assess_frame(frame, touchpoints=[list(touchpoints)], sensitive=sensitive)[0]


def assess_frame(
    frame: pd.DataFrame, *, touchpoints: list[list[str]] | None = None, sensitive: Iterable[str] = ()
) -> Assessments:
    """The assessment of each row of ``frame`` (columns normalised or text, and sentiment);
    ``touchpoints``: per row, the touchpoint ids it mentions; ``sensitive``: touchpoints whose
    negative mention is at least high."""
    if "normalised" in frame:
        texts = frame["normalised"].fillna("").astype(str).tolist()
    else:
        texts = [normalise(t) for t in frame["text"].fillna("").astype(str)]
    sentiment = pd.to_numeric(frame["sentiment"], errors="coerce").to_numpy(dtype=float)
    ranks = np.where(sentiment < NEGATIVE_BELOW, _RANK[Severity.MEDIUM], _RANK[Severity.LOW])
    ranks[sentiment <= STRONG_AT_MOST] = _RANK[Severity.HIGH]
    terms = said_terms(texts)
    for i, said in terms.items():
        critical = any(category != HIGH for category, _ in said)
        ranks[i] = _RANK[Severity.CRITICAL] if critical else max(ranks[i], _RANK[Severity.HIGH])
    negative_about: dict[int, list[str]] = {}
    wanted = set(sensitive)
    if wanted and touchpoints is not None:
        for i in np.flatnonzero(sentiment < NEGATIVE_BELOW):
            hit = sorted(wanted.intersection(touchpoints[i]))
            if hit:
                negative_about[int(i)] = hit
                ranks[i] = max(ranks[i], _RANK[Severity.HIGH])
    return Assessments(ranks.astype(int), sentiment, terms, negative_about)
