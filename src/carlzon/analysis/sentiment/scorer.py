"""Batch scoring of feedback: clauses, their sentiment, and each text's, in as few passes as possible.

Two stages. The first is per text and pure Python — split into weighted clauses, normalise,
read the cue lexicons and VADER — so with ``workers > 1`` and a large batch it runs in forked
worker processes, one per core. The second is array work over the whole batch: one n-gram
count (features.py), the Chinese prior's margins for every clause and every text, the blend.
"""

from __future__ import annotations

import atexit
import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from carlzon.analysis.clauses import weighted_clauses
from carlzon.analysis.features import NgramCounts
from carlzon.analysis.language import normalise, normalise_decoded
from carlzon.analysis.sentiment.cues import LABELS, Sentiment, blend, clause_signals, emotion_for, label_for
from carlzon.analysis.sentiment.lexicon import TRANSACTIONAL_WORDS
from carlzon.analysis.sentiment.prior import default_prior

PRIOR_SCALE = 1.2  # tanh(PRIOR_SCALE * margin): the prior's SVM margin onto [-1, 1]
WHOLE_TEXT_K = 3  # the prior's whole-text reading weighs clauses / (clauses + K)
# English feedback to a company reads kinder than it is: courtesy ("thanks", "please") and sarcasm
# ("thanks for making me miss my meeting") lend complaints positive words, and most complaints have
# no feeling word at all. The three-class vote of an English text leans this way (sentiment.LABELS
# order: negative, neutral, positive). Chosen on the airline train split and checked on general
# tweets, where complaints are a minority (bench/RESULTS.md, "Why the code is as it is").
ENGLISH_LEAN = (0.3, 0.0, -0.2)
PARALLEL_MIN = 2_000  # texts: below this, starting worker processes costs more than it saves

Signals = tuple[float | None, float, bool, tuple[str, ...]]  # (base or None, cues, loud, words): cues.clause_signals


@dataclass(frozen=True)
class ScoredBatch:
    """Lexicon scores of a batch: per text, its clauses with their scores, and the batch's n-gram counts."""

    scores: np.ndarray
    clauses: list[list[tuple[str, float, str, tuple[str, ...]]]]  # (as written, score, normalised, opinion words)
    counts: NgramCounts


# Per text: its clauses as written with their weights, the normalised clauses, and their signals
# (a plain tuple: it crosses process boundaries, and tuples pickle fastest).
_TextWork = tuple[list[tuple[str, float]], list[str], list[Signals]]


_VADER = None  # one per process; forked workers inherit the parent's


def _vader():  # type: ignore[no-untyped-def]
    global _VADER
    if _VADER is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _VADER = SentimentIntensityAnalyzer()
        for word in TRANSACTIONAL_WORDS:
            _VADER.lexicon.pop(word, None)
    return _VADER


def _first_stage(items: Sequence[tuple[str, str, str]]) -> list[_TextWork]:
    """Per (text, normalised text, zh|en): clauses, their normalised form and their signals."""
    out = []
    for text, key, lang in items:
        parts = weighted_clauses(text)
        keys = _normalised_clauses(text, key, parts)
        vader = _vader() if lang == "en" and parts else None
        out.append((parts, keys, [clause_signals(k, lang, vader) for k in keys]))
    return out


def _normalised_clauses(text: str, normalised_text: str, parts: list[tuple[str, float]]) -> list[str]:
    """The clauses normalised: lower-cased when that is all normalising did to the text (most texts),
    else split the normalised text, else (the splits differ) normalise each clause."""
    if normalised_text == text.lower().strip():
        return [clause.lower() for clause, _ in parts]
    together = [clause for clause, _ in weighted_clauses(normalised_text, decoded=True)]
    if len(together) == len(parts):
        return together
    return [normalise_decoded(clause) for clause, _ in parts]


def _run_first_stage(items: list[tuple[str, str, str]], workers: int) -> list[_TextWork]:
    if workers <= 1 or len(items) < PARALLEL_MIN or "fork" not in multiprocessing.get_all_start_methods():
        return _first_stage(items)
    if any(lang == "en" for _, _, lang in items):
        _vader()  # load once here; the forked workers inherit it
    # Every workers-th text to each share, not contiguous runs: a batch often comes sorted (by
    # source, channel, date), and a run of long reviews or English tweets would leave one process
    # waiting for the other. This process takes the first share itself while the workers take the rest.
    shares = [items[i::workers] for i in range(workers)]
    others = _pool(workers - 1).map_async(_first_stage, shares[1:])
    done: list[list[_TextWork]] = [_first_stage(shares[0]), *others.get()]
    out: list[_TextWork] = [None] * len(items)  # type: ignore[list-item]
    for i, share in enumerate(done):
        out[i::workers] = share
    return out


_POOLS: dict[int, Any] = {}


def _pool(size: int):  # type: ignore[no-untyped-def]
    """A pool of ``size`` forked workers, started once per process and closed at exit."""
    if size not in _POOLS:
        pool = multiprocessing.get_context("fork").Pool(size)
        atexit.register(pool.terminate)
        _POOLS[size] = pool
    return _POOLS[size]


class LexiconSentiment:
    """Scores normalised (simplified, lower-case) clauses; ``lang`` picks the zh or en path."""

    def __init__(self, prior=None, workers: int = 1, english_prior=None) -> None:  # type: ignore[no-untyped-def]
        self._prior = prior
        self._english_prior = english_prior
        self.workers = workers

    def load_priors(self) -> None:
        """Load both priors now (from the cache, or fitted once), not at the first text that needs one."""
        _ = self.prior, self.english_prior

    @property
    def prior(self):  # type: ignore[no-untyped-def]
        """The Chinese prior in use (the cached default unless one was given)."""
        if self._prior is None:
            self._prior = default_prior()
        return self._prior

    @property
    def english_prior(self):  # type: ignore[no-untyped-def]
        """The English prior in use (the cached default unless one was given)."""
        if self._english_prior is None:
            self._english_prior = default_prior("en")
        return self._english_prior

    def english_votes(self, keys: Sequence[str], langs: Sequence[str]) -> np.ndarray | None:
        """The English prior's margins per class (sentiment.LABELS order), leaned by ENGLISH_LEAN,
        for the texts the English path reads (zeros for Chinese ones); None when there are none.
        Asked for only by the three-class vote, so a two-class batch or a trained model never pays
        for it."""
        english = [i for i, lang in enumerate(langs) if not lang.startswith("zh")]
        if not english:
            return None
        votes = np.zeros((len(keys), len(LABELS)))
        votes[english] = self.english_prior.decision([keys[i] for i in english]) + np.array(ENGLISH_LEAN)
        return votes

    def _second_stage(self, keys: list[str], langs: list[str], signals: list[Signals], counts: NgramCounts) -> list:  # type: ignore[type-arg]
        """Clause scores: the prior's margin for Chinese clauses (all at once, from the counts) or VADER, blended."""
        bases = [base if base is not None else 0.0 for base, _, _, _ in signals]
        zh = [i for i, (key, lang) in enumerate(zip(keys, langs, strict=True)) if lang == "zh" and key.strip()]
        if zh:
            prior = self.prior
            margins = prior.decision_counts(counts.clauses_in(prior.vocabulary, zh))
            for i, margin in zip(zh, np.tanh(PRIOR_SCALE * margins).tolist(), strict=True):
                bases[i] = margin
        return [
            blend(base, cues, loud=loud) if key.strip() else 0.0
            for base, (_, cues, loud, _), key in zip(bases, signals, keys, strict=True)
        ]

    def score_many(self, clauses: Sequence[str], langs: Sequence[str]) -> np.ndarray:
        """Scores in [-1, 1] for normalised clauses."""
        short = ["zh" if lang.startswith("zh") else "en" for lang in langs]
        signals = [
            clause_signals(c, lang, _vader() if lang == "en" else None) for c, lang in zip(clauses, short, strict=True)
        ]
        counts = NgramCounts(list(clauses), list(range(len(clauses))), len(clauses))
        return np.array(self._second_stage(list(clauses), short, signals, counts))

    def score_texts(
        self, texts: Sequence[str], langs: Sequence[str], normalised_texts: Sequence[str] | None = None
    ) -> ScoredBatch:
        """Every clause of every text scored in one pass, and each text's score.

        The text's score is the mean of its clause scores weighted for contrast ("但是", "but": what
        follows counts double, a concession half) with the last clause counted once more (the end
        is remembered). For Chinese it is blended with the prior's reading of the whole text, which
        judges a long review better than its clauses do (a hotel review that lists three small
        complaints can still be a warm one): weight ``clauses / (clauses + 3)``.
        """
        short = ["zh" if lang.startswith("zh") else "en" for lang in langs]
        keys = normalised_texts if normalised_texts is not None else [normalise(text) for text in texts]
        work = _run_first_stage(list(zip(texts, keys, short, strict=True)), self.workers)
        flat = [key for _, keys_, _ in work for key in keys_]
        owners = [index for index, (_, keys_, _) in enumerate(work) for _ in keys_]
        counts = NgramCounts(flat, owners, len(texts))
        signals = [signal for _, _, item_signals in work for signal in item_signals]
        values = iter(self._second_stage(flat, [short[i] for i in owners], signals, counts))
        zh = [i for i, ((parts, _, _), lang) in enumerate(zip(work, short, strict=True)) if lang == "zh" and parts]
        whole: dict[int, float] = {}
        if zh:
            prior = self.prior
            margins = prior.decision_counts(counts.texts_in(prior.vocabulary, zh))
            whole = dict(zip(zh, np.tanh(PRIOR_SCALE * margins).tolist(), strict=True))
        scores: list[float] = []
        clauses: list[list[tuple[str, float, str, tuple[str, ...]]]] = []
        for index, (parts, keys_, item_signals) in enumerate(work):
            scored = [
                (clause, round(next(values), 4), key, signal[3])
                for (clause, _), key, signal in zip(parts, keys_, item_signals, strict=True)
            ]
            clauses.append(scored)
            if not scored:
                scores.append(0.0)
                continue
            weights = [w for _, w in parts]
            weights[-1] += 1.0
            # A clause that says nothing (score 0: no cue, no prior) does not water down one that
            # does, unless it is the conclusion of a contrast ("… but I can't find them").
            said = [
                (w, v)
                for w, (_, given), (_, v, _, _) in zip(weights, parts, scored, strict=True)
                if v != 0 or given > 1
            ]
            mean = sum(w * v for w, v in said) / sum(w for w, _ in said) if said else 0.0
            if index in whole:
                share = len(scored) / (len(scored) + WHOLE_TEXT_K)
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
