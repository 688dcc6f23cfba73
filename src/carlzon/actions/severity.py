"""How serious a piece of feedback is, from its text and the touchpoints it names.

Critical is for what must reach a team within the hour whatever the rules say: food safety,
injury, a data leak, a legal threat, a product-quality warning. The terms are listed per
category in zh-Hans, zh-Hant and English; a term right after a negation ("没有异物", "no hair in
it") does not count. High is a strong complaint (sentiment at or below -0.6), a threat to leave or
go public, or a negative mention of a touchpoint the rules file marks sensitive; medium is any
other negative record; low the rest. Every assessment says why.

Vectorised over a frame (one combined pattern per category, searched by pandas in C), because
``carlzon rules test`` assesses every record of a window of a million.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import ahocorasick
import numpy as np
import pandas as pd

from carlzon.analysis.language import normalise

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

# zh-Hans and English only: terms are matched on the normalised text (simplified Chinese, lower
# case; analysis.language.normalise), so 吃壞肚子 is found as 吃坏肚子.
# fmt: off
CRITICAL_TERMS: dict[str, tuple[str, ...]] = {
    "food safety": (
        "食物中毒", "食品安全", "吃坏肚子", "拉肚子", "腹泻", "上吐下泻", "呕吐", "异物", "头发丝", "吃出头发",
        "吃出了头发", "有头发", "一根头发", "吃出虫", "吃出了虫", "虫子", "蟑螂", "苍蝇", "发霉", "变质", "馊了",
        "过期食品", "没煮熟", "food poisoning", "got sick after", "threw up", "vomit", "diarrhea", "diarrhoea",
        "cockroach", "hair in my", "bug in my", "insect in", "mouldy", "moldy", "undercooked chicken", "raw chicken",
        "expired food",
    ),
    "injury": (
        "受伤", "烫伤", "摔倒", "滑倒", "划伤", "割伤", "流血", "骨折", "送医", "injured", "injury", "scalded",
        "burned my", "burnt my", "slipped and fell", "bleeding", "broke my",
    ),
    "data leak": (
        "信息泄露", "资讯泄露", "泄露了我的", "个人信息被", "个人资料被", "隐私泄露", "data leak", "data breach",
        "leaked my", "my personal data was", "privacy breach",
    ),
    "legal threat": (
        "起诉", "律师函", "找律师", "告上法院", "去法院告", "打官司", "消协", "消费者协会", "消委会", "12315",
        "市场监管局",
        "lawsuit", "sue you", "suing", "my lawyer", "attorney", "legal action", "small claims", "trading standards",
    ),
    "product quality": (
        "质量问题", "品质问题", "召回", "安全隐患", "爆炸", "起火", "着火", "漏电", "冒烟", "有毒", "甲醛超标",
        "recall", "safety hazard", "caught fire", "exploded", "electric shock", "toxic",
    ),
}
HIGH_TERMS: tuple[str, ...] = (
    "再也不来", "再也不会", "再也不买", "曝光", "发微博", "找媒体", "投诉到总部", "never again", "never coming back",
    "going to the press", "post this everywhere", "chargeback", "cancel my membership",
)
# fmt: on
_NEGATION = re.compile(
    r"(没有|沒有|没|沒|无|無|不是|并非|並非|\bno\b|\bnot\b|\bnever\b|\bwithout\b|n't)\W{0,2}\w{0,2}\W?$", re.I
)


def _automaton() -> ahocorasick.Automaton:
    """Every term in one Aho-Corasick automaton (C): one pass over each text finds them all."""
    automaton = ahocorasick.Automaton()
    for category, terms in (*CRITICAL_TERMS.items(), (HIGH, HIGH_TERMS)):
        for term in terms:
            automaton.add_word(term.lower(), (term.lower(), category))
    automaton.make_automaton()
    return automaton


HIGH = "threatens to leave or go public"
_TERMS = _automaton()


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


def _latin_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    """An English term is a whole word ("sue you", not "issue you"); Chinese around it is fine ("打12315")."""
    before = start > 0 and _latin_word_char(text[start - 1])
    after = end + 1 < len(text) and _latin_word_char(text[end + 1])
    return not before and not after


def _said_terms(texts: list[str]) -> dict[int, list[tuple[str, str]]]:
    """Per row with any, (category, term) of the terms in its (normalised) text that no negation
    just before takes back, one per category; an English term must stand on word boundaries.

    The texts are joined and scanned in one pass of the automaton (C), so Python only sees the
    rows that hold a term: a few in a hundred."""
    if not texts:
        return {}
    joined = "\x00".join(texts)  # NUL is never in a term, nor a word character
    starts = np.cumsum([0, *(len(t) + 1 for t in texts[:-1])])
    found: dict[int, dict[str, str]] = {}
    for end, (term, category) in _TERMS.iter(joined):
        begin = end - len(term) + 1
        row = int(np.searchsorted(starts, begin, side="right")) - 1
        said = found.setdefault(row, {})
        if category in said:
            continue
        text, start = texts[row], begin - int(starts[row])
        if term.isascii() and not _on_word_boundaries(text, start, start + len(term) - 1):
            continue
        if _NEGATION.search(text[max(0, start - 8) : start]):
            continue
        said[category] = term
    return {row: list(said.items()) for row, said in found.items() if said}


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
    terms = _said_terms(texts)
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
