"""N-gram counting in numpy: the same n-grams as scikit-learn's char_wb, and projections between vocabularies."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from carlzon.analysis.features import NgramCounts, count_matrix, decode, project

TEXTS = ["菜很好吃", "the crew was amazing!!", "a b  c", "服务 ok 👍", "", "排隊等了一個小時"]


def test_counts_equal_scikit_learns_char_wb() -> None:
    reference = CountVectorizer(analyzer="char_wb", ngram_range=(1, 3), lowercase=False).fit(TEXTS)
    counts, vocabulary = count_matrix(TEXTS)
    assert sorted(decode(int(c)) for c in vocabulary) == sorted(reference.vocabulary_)
    columns = [reference.vocabulary_[decode(int(c))] for c in vocabulary]
    np.testing.assert_array_equal(reference.transform(TEXTS).toarray()[:, columns], counts.toarray())
    assert np.all(vocabulary[1:] > vocabulary[:-1])  # sorted, so projections can use searchsorted


def test_longer_ngrams_are_hashed_apart_from_exact_ones() -> None:
    counts, vocabulary = count_matrix(["abcde"], max_n=5)
    # " abcde " has 7 + 6 + 5 + 4 + 3 = 25 n-grams; only the padding space repeats
    assert counts.sum() == 25 and len(vocabulary) == 24
    assert sum(1 for c in vocabulary if decode(int(c)).startswith("<hashed")) == 4 + 3


def test_projection_keeps_shared_ngrams_and_texts_sum_their_clauses() -> None:
    counts = NgramCounts(["好吃", "太慢"], owners=[0, 0], n_texts=1)
    _, other = count_matrix(["好吃极了"])
    projected = counts.clauses_in(other)
    assert projected.shape == (2, len(other))
    assert projected[0].sum() == 7  # of " 好吃 "'s 9 n-grams all but "吃 " and "好吃 " are in " 好吃极了 "
    assert projected[1].sum() == 2  # of 太慢 only the padding spaces are
    np.testing.assert_array_equal(counts.text_counts.toarray()[0], counts.clause_counts.toarray().sum(axis=0))
    assert project(np.zeros(0, dtype=np.uint64), other).shape == (0, len(other))
