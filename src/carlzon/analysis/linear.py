"""A fitted TF-IDF + linear classifier as plain arrays: read in numpy, saved without pickle.

Why not keep the scikit-learn objects: reading needs only ``log``, a product and a row norm, and
importing scikit-learn costs about a second of every `carlzon analyze`, even one that has a few
new records to read; and a pickle can run code when it is loaded, so no file Carlzon reads back
(the sentiment priors' cache, a run's stored fit) is one. scikit-learn fits; these arrays read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

FIELDS = ("vocabulary", "idf", "coef", "intercept", "classes")


def sublinear_tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """scikit-learn's ``TfidfTransformer(sublinear_tf=True)``: (1 + log tf) × idf, rows scaled to unit length."""
    features = sparse.csr_matrix(counts, dtype=np.float64, copy=True)
    np.log(features.data, out=features.data)
    features.data += 1.0
    features.data *= idf[features.indices]
    rows = np.repeat(np.arange(features.shape[0]), np.diff(features.indptr))
    norms = np.sqrt(np.bincount(rows, weights=features.data**2, minlength=features.shape[0]))
    norms[norms == 0] = 1.0
    features.data /= norms[rows]
    return features


@dataclass(frozen=True)
class LinearTfidf:
    """N-gram columns, their idf weights and a linear classifier's coefficients per class."""

    vocabulary: np.ndarray  # sorted n-gram codes (features.py), one per column
    idf: np.ndarray
    coef: np.ndarray  # (classes, columns); one row for two classes
    intercept: np.ndarray
    classes: np.ndarray

    @classmethod
    def from_fitted(cls, vocabulary: np.ndarray, tfidf: Any, classifier: Any) -> LinearTfidf:
        """The arrays of a fitted ``TfidfTransformer`` and ``LinearSVC``."""
        return cls(
            np.asarray(vocabulary, dtype=np.uint64),
            np.asarray(tfidf.idf_, dtype=np.float64),
            np.asarray(classifier.coef_, dtype=np.float64),
            np.asarray(classifier.intercept_, dtype=np.float64),
            np.asarray(classifier.classes_),
        )

    def margins(self, counts: sparse.csr_matrix) -> np.ndarray:
        """Per row of counts over ``vocabulary``: one signed margin (two classes: > 0 means
        ``classes[1]``) or one per class — what ``LinearSVC.decision_function`` gives."""
        if counts.shape[0] == 0:
            return np.zeros(0) if len(self.coef) == 1 else np.zeros((0, len(self.coef)))
        scores = np.asarray(sublinear_tfidf(counts, self.idf) @ self.coef.T) + self.intercept
        return scores[:, 0] if len(self.coef) == 1 else scores

    def to_state(self) -> dict[str, np.ndarray]:
        """The arrays by name, for ``np.savez`` (classes as text, so no object array)."""
        return {
            "vocabulary": self.vocabulary,
            "idf": self.idf,
            "coef": self.coef,
            "intercept": self.intercept,
            "classes": np.asarray(self.classes).astype(str) if self.classes.dtype.kind in "OU" else self.classes,
        }

    @classmethod
    def from_state(cls, state: Any, prefix: str = "") -> LinearTfidf:
        """The model ``to_state`` gave (also from an open ``np.load`` archive, its names after ``prefix``)."""
        values = {name: np.asarray(state[prefix + name]) for name in FIELDS}
        values["vocabulary"] = values["vocabulary"].astype(np.uint64)
        return cls(**values)
