"""Words that make a piece of feedback serious, found in its text: the text's part of severity.

Critical: food safety, injury, a data leak, a legal threat, a product-quality warning; high: a
threat to leave or go public. A term right after a negation ("没有异物", "no hair in it") does not
count. Computed for every record as it is analysed (``text_severity``: 3 critical, 2 high, 0
none), so rules over a million records read a small integer instead of every text; the closed
loop (actions.severity) adds what the sentiment and the touchpoints say.

Bump TERMS_VERSION when the terms change: stored ranks of another version are assessed again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import ahocorasick
import numpy as np

TERMS_VERSION = "1"
CRITICAL_RANK, HIGH_RANK = 3, 2

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


HIGH = "threatens to leave or go public"


def _automaton() -> ahocorasick.Automaton:
    """Every term in one Aho-Corasick automaton (C): one pass over each text finds them all."""
    automaton = ahocorasick.Automaton()
    for category, terms in (*CRITICAL_TERMS.items(), (HIGH, HIGH_TERMS)):
        for term in terms:
            automaton.add_word(term.lower(), (term.lower(), category))
    automaton.make_automaton()
    return automaton


_TERMS = _automaton()


def _latin_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    """An English term is a whole word ("sue you", not "issue you"); Chinese around it is fine ("打12315")."""
    before = start > 0 and _latin_word_char(text[start - 1])
    after = end + 1 < len(text) and _latin_word_char(text[end + 1])
    return not before and not after


def said_terms(texts: list[str]) -> dict[int, list[tuple[str, str]]]:
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


def text_severity_ranks(normalised_texts: Sequence[str]) -> np.ndarray:
    """Per normalised text: 3 when it says a critical term, 2 a high one, else 0."""
    ranks = np.zeros(len(normalised_texts), dtype=int)
    for row, said in said_terms([str(t) for t in normalised_texts]).items():
        ranks[row] = CRITICAL_RANK if any(category != HIGH for category, _ in said) else HIGH_RANK
    return ranks
