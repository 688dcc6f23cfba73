"""Zero-shot sentiment and emotion for zh and en clauses, from lexicons shipped in PyPI packages.

Why this mix: ../shared/research/nlp-deps.md measured pysenti's naive-Bayes model as the
fastest usable zh option and vaderSentiment as the only working offline en one. Both miss
the vocabulary of service ("等了四十分钟", "took forever"), so a small customer-experience cue
lexicon, with negation, is blended in. The text-analytics work replaces this with trained and
clause-aware models; the interface (score in [-1, 1], label, emotion) stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

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
_ZH_NEGATORS = ("不", "没", "没有")
_EN_NEGATORS = ("not", "no", "never", "n't", "hardly", "without")

_EN_WORD = re.compile(r"[a-z']+")


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
    total = 0.0
    for cues, sign in ((_ZH_NEG, -1.0), (_ZH_POS, 1.0)):
        for cue in cues:
            start = text.find(cue)
            while start != -1:
                window = text[max(0, start - 2) : start]
                negated = any(neg in window for neg in _ZH_NEGATORS) and not cue.startswith(("不", "没"))
                total += -sign if negated else sign
                start = text.find(cue, start + len(cue))
    return total


def _en_cues(text: str) -> float:
    total = 0.0
    for cues, sign in ((_EN_NEG, -1.0), (_EN_POS, 1.0)):
        for cue in cues:
            for match in re.finditer(rf"\b{re.escape(cue)}\b", text):
                before = _EN_WORD.findall(text[: match.start()])[-3:]
                negated = any(w in _EN_NEGATORS or w.endswith("n't") for w in before)
                total += -sign if negated else sign
    return total


def _calibrate_vader(compound: float) -> float:
    """Map VADER's compound onto our scale so its documented neutral band (±0.05) becomes ours (±0.2).

    Piecewise linear and monotone: |c| <= 0.05 stretches to 0..0.2, the rest to 0.2..1.
    """
    magnitude = abs(compound)
    scaled = magnitude * 4 if magnitude <= 0.05 else 0.2 + (magnitude - 0.05) * (0.8 / 0.95)
    return scaled if compound >= 0 else -scaled


class LexiconSentiment:
    """Scores normalised (simplified, lower-case) clauses; ``lang`` picks the zh or en path."""

    @cached_property
    def _zh_model(self):  # type: ignore[no-untyped-def]
        from pysenti import ModelClassifier

        return ModelClassifier()

    @cached_property
    def _en_model(self):  # type: ignore[no-untyped-def]
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        return SentimentIntensityAnalyzer()

    def score(self, clause: str, lang: str) -> float:
        """Score in [-1, 1] for one normalised clause."""
        if not clause.strip():
            return 0.0
        if lang.startswith("zh"):
            base = 2.0 * float(self._zh_model.classify(clause)["positive_prob"]) - 1.0
            cues = _zh_cues(clause)
        else:
            base = _calibrate_vader(float(self._en_model.polarity_scores(clause)["compound"]))
            cues = _en_cues(clause)
        cues += sum(clause.count(e) for e in _EMOJI_POS) - sum(clause.count(e) for e in _EMOJI_NEG)
        if cues == 0:
            score = base * 0.8 if lang.startswith("zh") else base
        else:
            score = 0.35 * base + 0.65 * max(-1.0, min(1.0, cues / 1.5))
        if _REPEATED_MARKS.search(clause):  # "!!!", "？？" — the feeling is stronger, whichever way it goes
            score *= 1.2
        return round(max(-1.0, min(1.0, score)), 4)

    def analyse(self, clause: str, lang: str) -> Sentiment:
        """Score, label and emotion of one normalised clause."""
        value = self.score(clause, lang)
        return Sentiment(score=value, label=label_for(value), emotion=emotion_for(value, clause))
