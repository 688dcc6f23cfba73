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


def _pattern(terms: Iterable[str]) -> re.Pattern[str]:
    words = sorted({t.lower() for t in terms}, key=len, reverse=True)
    return re.compile("|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w) for w in words), re.I)


_CRITICAL = {category: _pattern(terms) for category, terms in CRITICAL_TERMS.items()}
_HIGH = _pattern(HIGH_TERMS)


@dataclass(frozen=True)
class Assessment:
    severity: Severity
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"severity": self.severity.value, "reasons": list(self.reasons)}


def _said(pattern: re.Pattern[str], text: str) -> str | None:
    """The first term of ``pattern`` in ``text`` that no negation just before it takes back."""
    for match in pattern.finditer(text):
        if not _NEGATION.search(text[max(0, match.start() - 8) : match.start()]):
            return match.group(0)
    return None


def assess(
    text: str, sentiment: float | None = None, touchpoints: Iterable[str] = (), sensitive: Iterable[str] = ()
) -> Assessment:
    """The severity of one record and why."""
    frame = pd.DataFrame({"text": [text], "sentiment": [np.nan if sentiment is None else sentiment]})
    return assess_frame(frame, touchpoints=[list(touchpoints)], sensitive=sensitive)[0]


def assess_frame(
    frame: pd.DataFrame, *, touchpoints: list[list[str]] | None = None, sensitive: Iterable[str] = ()
) -> list[Assessment]:
    """Per row of ``frame`` (columns text or normalised, and sentiment), its assessment; ``touchpoints``: per row, the
    touchpoint ids it mentions; ``sensitive``: touchpoints whose negative mention is at least high."""
    if "normalised" in frame:
        texts = frame["normalised"].fillna("").astype(str)
    else:
        texts = frame["text"].fillna("").astype(str).map(normalise)
    sentiment = pd.to_numeric(frame["sentiment"], errors="coerce").to_numpy(dtype=float)
    reasons: list[list[str]] = [[] for _ in range(len(frame))]
    level = np.where(sentiment < NEGATIVE_BELOW, _RANK[Severity.MEDIUM], _RANK[Severity.LOW])
    strong = sentiment <= STRONG_AT_MOST
    for i in np.flatnonzero(strong):
        reasons[i].append(f"strongly negative (sentiment {sentiment[i]:+.2f})")
    level = np.where(strong, _RANK[Severity.HIGH], level)
    for i in np.flatnonzero(texts.str.contains(_HIGH).to_numpy()):
        term = _said(_HIGH, texts.iat[i])
        if term:
            level[i] = max(level[i], _RANK[Severity.HIGH])
            reasons[i].append(f"threatens to leave or go public: '{term}'")
    sensitive = set(sensitive)
    if sensitive and touchpoints is not None:
        for i, named in enumerate(touchpoints):
            hit = sorted(sensitive.intersection(named))
            if hit and sentiment[i] < NEGATIVE_BELOW:
                level[i] = max(level[i], _RANK[Severity.HIGH])
                reasons[i].append(f"negative about a sensitive touchpoint: {', '.join(hit)}")
    for category, pattern in _CRITICAL.items():
        for i in np.flatnonzero(texts.str.contains(pattern).to_numpy()):
            term = _said(pattern, texts.iat[i])
            if term:
                level[i] = _RANK[Severity.CRITICAL]
                reasons[i].append(f"{category}: '{term}'")
    by_rank = {rank: severity for severity, rank in _RANK.items()}
    return [Assessment(by_rank[int(rank)], tuple(why)) for rank, why in zip(level, reasons, strict=True)]
