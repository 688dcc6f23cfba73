"""The sentiment analyzer: clause sentiment, each text's label and emotion, self-training on the batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from carlzon.analysis.base import Analyzer, State
from carlzon.analysis.language import normalised_texts
from carlzon.analysis.sentiment.cues import emotion_for, label_for
from carlzon.analysis.sentiment.prior import Prior, prior_identity
from carlzon.analysis.sentiment.scorer import LexiconSentiment, ScoredBatch
from carlzon.analysis.sentiment.selftrain import SelfTrained, read_margins, self_train, three_class_labels
from carlzon.analysis.training.modelfiles import file_digest, load_sentiment_classifier
from carlzon.errors import AnalysisError


class SentimentAnalyzer(Analyzer):
    """Adds ``sentiment`` in [-1, 1], ``label``, ``emotion`` and ``clauses`` [(clause, score, normalised,
    opinion words), …].

    Clause-aware: each clause is scored on its own (these clause scores give each touchpoint
    mention its sentiment); the text's lexicon score weighs its clauses for contrast and the end,
    and for Chinese blends in the prior's reading of the whole text (scorer.py). With
    ``self_train`` and a batch of at least 500 texts, ``fit`` also teaches a text classifier on the
    batch's own clearest cases (selftrain.py); the text's label then comes from it and its score
    blends both. ``prior`` / ``english_prior``: the priors to use (default: the cached ones; with
    three classes the English prior votes on English texts' labels, selftrain.three_class_labels);
    ``workers``: processes for the per-text stage of a large batch. ``model``: a file from
    `carlzon train sentiment` (labels positive/negative(/neutral) in any usual spelling): it names
    each text's label instead, and its margin is blended into the score; clause scores stay the
    lexicon's.
    """

    name = "sentiment"
    requires = ("text", "language")
    produces = ("sentiment", "label", "emotion", "clauses")

    def __init__(
        self,
        self_train: bool = True,
        three_class: bool = True,
        prior: Prior | None = None,
        workers: int = 1,
        model: Path | None = None,
        english_prior: Prior | None = None,
    ) -> None:
        self.self_train = self_train
        self.three_class = three_class
        self.prior = prior
        self.english_prior = english_prior
        self.workers = workers
        self.model = model

    version = 1

    @property
    def learns_from_batch(self) -> bool:  # type: ignore[override]
        """Self-training learns from the batch; a trained model file does not."""
        return self.self_train and self.model is None

    def identity(self) -> dict[str, Any]:
        return {
            "step": "sentiment",
            "version": self.version,
            "self_train": self.self_train,
            "three_class": self.three_class,
            "prior": prior_identity(self.prior, "zh"),
            "english_prior": prior_identity(self.english_prior, "en"),
            "model": file_digest(self.model) if self.model is not None else None,
        }

    def prepare(self) -> SentimentAnalyzer:
        """Load the priors and read the trained model file, once (``trained_``: the classifier and its
        canonical labels), so that a wrong file is said before any step runs."""
        if getattr(self, "scorer_", None) is None:
            self.scorer_ = LexiconSentiment(self.prior, self.workers, self.english_prior)
            self.scorer_.load_priors()
        if self.model is not None and getattr(self, "trained_", None) is None:
            self.trained_ = load_sentiment_classifier(self.model)
        return self

    def fit(self, batch: pd.DataFrame) -> SentimentAnalyzer:
        self._fit_with(self._lexicon(batch) if self.learns_from_batch and len(batch) else None)
        return self

    def fit_transform(self, batch: pd.DataFrame) -> pd.DataFrame:
        """fit then transform, scoring the lexicons and counting n-grams once (they are most of the cost)."""
        lexicon = self._lexicon(batch)
        self._fit_with(lexicon if self.learns_from_batch else None)
        return self._assign(batch, lexicon)

    def _fit_with(self, lexicon: ScoredBatch | None) -> None:
        self.prepare()
        self.model_ = self_train(lexicon.counts, lexicon.scores, three_class=self.three_class) if lexicon else None

    def fitted_state(self) -> State:
        """The self-trained classifier as arrays (empty when the batch was too small to learn from)."""
        self._check_fitted()
        return self.model_.to_state() if self.model_ is not None else {}

    def restore_state(self, state: State) -> SentimentAnalyzer:
        self._check_fitted()
        self.model_ = SelfTrained.from_state(state) if state else None
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise AnalysisError(
                "the sentiment analyzer is not fitted: call fit() on a batch (or Pipeline.fit) before transform()"
            )

    def _lexicon(self, batch: pd.DataFrame) -> ScoredBatch:
        """Per text: its lexicon score and its scored clauses (see LexiconSentiment.score_texts)."""
        self.prepare()
        return self.scorer_.score_texts(
            [str(t) for t in batch["text"]], [str(lang) for lang in batch["language"]], normalised_texts(batch)
        )

    def transform(self, batch: pd.DataFrame) -> pd.DataFrame:
        self._check_fitted()
        return self._assign(batch, self._lexicon(batch))

    def _assign(self, batch: pd.DataFrame, lexicon: ScoredBatch) -> pd.DataFrame:
        scores = lexicon.scores.round(4).tolist()
        labels = [label_for(s) for s in scores]
        if len(batch):
            labels, confidence = self._classifier_reading(batch, lexicon, labels)
            if confidence is not None:
                scores = [round(float(np.clip((s + c) / 2, -1, 1)), 4) for s, c in zip(scores, confidence, strict=True)]
        emotions: list[str | None] = [
            emotion_for(s, str(t).lower()) if lab != "neutral" else "neutral"
            for s, t, lab in zip(scores, batch["text"], labels, strict=True)
        ]
        # A record with a score and no comment says nothing about sentiment: it gets none (NULL),
        # not a neutral 0.0 that would dilute every average and negative share it falls into.
        for i, key in enumerate(normalised_texts(batch)):
            if not key:
                scores[i], labels[i], emotions[i] = float("nan"), None, None  # type: ignore[call-overload]
        return batch.assign(sentiment=scores, label=labels, emotion=emotions, clauses=lexicon.clauses)

    def _classifier_reading(
        self, batch: pd.DataFrame, lexicon: ScoredBatch, lexicon_labels: list[str]
    ) -> tuple[list[str], np.ndarray | None]:
        """Each text's label, and the classifier's confidence in (-1, 1) to blend into its score (None: no classifier).

        The user's trained model names the label. Otherwise, with three classes, the lexicon, the
        self-trained classifier and (for English) the English prior vote (selftrain.three_class_labels);
        with two, the label is the sign of the blended score."""
        trained = getattr(self, "trained_", None)
        if trained is not None:
            classifier, classes = trained
            return read_margins(classifier.decision_function(normalised_texts(batch)), classes)
        decision: np.ndarray | None = None
        classes: list[str] = []
        confidence: np.ndarray | None = None
        if self.model_ is not None:
            decision, classes = self.model_.decision(lexicon.counts), self.model_.classes_
            confidence = read_margins(decision, classes)[1]
        if not self.three_class:
            if confidence is None:
                return lexicon_labels, None
            blended = (lexicon.scores + confidence) / 2
            return ["positive" if s >= 0 else "negative" for s in blended], confidence
        english = self.scorer_.english_votes(normalised_texts(batch), [str(lang) for lang in batch["language"]])
        return three_class_labels(lexicon.scores, decision, classes, english), confidence
