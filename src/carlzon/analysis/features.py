"""Character n-gram counts of a batch, counted once, in numpy, and read by every model through its own vocabulary.

Why: n-gram extraction in pure Python (scikit-learn's ``char_wb`` analyzer) was most of the
pipeline's time, and it ran five times a batch (the prior on clauses, on whole texts, the
self-trained model's fit, predict and margins). Here:

- an n-gram is a number, not a string: up to three code points packed into 63 bits
  (``c1 << 42 | c2 << 21 | c3``; code points fit in 21 bits), so every n-gram of a batch is
  found with array arithmetic, and a vocabulary is a sorted array of such numbers;
- the n-grams are those of scikit-learn's ``char_wb`` analyzer (each whitespace-separated word
  padded with one space each side, 1- to 3-grams inside a padded word);
- a batch's clauses are counted once; a text's counts are the sum of its clauses';
- a model with a fixed vocabulary (the prior, a self-trained classifier) reads the counts through
  a sparse projection found with ``searchsorted`` — a matrix product, not a second pass.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

MAX_N = 3
_BITS = 21
_HASHED = np.uint64(1 << 63)  # marks a hashed code (n >= 4), which no exact code can equal
_MULTIPLIERS = [np.uint64(m) for m in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5)]


def _ngrams(texts: Sequence[str], max_n: int = MAX_N) -> tuple[np.ndarray, np.ndarray]:
    """(row, code) of every char_wb 1..max_n-gram of every text.

    Up to 3 code points the code is exact; 4- and 5-grams (trained models) are hashed into the
    other half of the 64-bit space (a collision needs ~4 billion distinct n-grams to be likely).
    """
    pieces: list[str] = []
    owners: list[int] = []
    for row, text in enumerate(texts):
        for word in text.split():
            pieces.append(f" {word} ")
            owners.append(row)
    if not pieces:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    chars = np.frombuffer("".join(pieces).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=len(pieces))
    word = np.repeat(np.arange(len(pieces)), lengths)
    owner = np.asarray(owners, dtype=np.int64)
    rows, codes = [owner[word]], [chars]
    for n in range(2, max_n + 1):
        starts = np.flatnonzero(word[: len(word) - n + 1] == word[n - 1 :])
        if n <= 3:
            code = chars[starts]
            for k in range(1, n):
                code = (code << np.uint64(_BITS)) | chars[starts + k]
        else:
            code = np.full(len(starts), np.uint64(n))
            with np.errstate(over="ignore"):
                for k in range(n):
                    code = code * _MULTIPLIERS[k % len(_MULTIPLIERS)] + chars[starts + k]
            code |= _HASHED
        rows.append(owner[word[starts]])
        codes.append(code)
    return np.concatenate(rows), np.concatenate(codes)


def decode(code: int) -> str:
    """The n-gram a code stands for (for reading a model's features)."""
    if code & (1 << 63):
        return "<hashed 4- or 5-gram>"
    chars = []
    while code:
        chars.append(chr(code & ((1 << _BITS) - 1)))
        code >>= _BITS
    return "".join(reversed(chars))


def count_matrix(texts: Sequence[str], max_n: int = MAX_N) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Counts (texts × n-grams) and the batch vocabulary: the sorted codes of its columns."""
    import pandas as pd

    rows, codes = _ngrams(texts, max_n)
    seen, uniques = pd.factorize(codes, sort=False)  # hashing: faster than sorting every n-gram
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    vocabulary = np.asarray(uniques, dtype=np.uint64)[order]
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, rank[seen])), shape=(len(texts), len(vocabulary))
    )
    matrix.sum_duplicates()
    return matrix, vocabulary


def project(source: np.ndarray, target: np.ndarray) -> sparse.csr_matrix:
    """``source`` vocabulary → ``target`` vocabulary (both sorted codes): 1 where the n-gram is the same."""
    if len(target) == 0 or len(source) == 0:
        return sparse.csr_matrix((len(source), len(target)), dtype=np.float32)
    place = np.minimum(np.searchsorted(target, source), len(target) - 1)
    rows = np.flatnonzero(target[place] == source)
    return sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, place[rows])), shape=(len(source), len(target))
    )


def canonical(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    """``matrix`` as CSR with each row's columns in order. A model sums a row's weights in storage
    order; in a product's output that order follows the batch's own vocabulary, so the same text
    would read a few last bits differently in another batch. In column order it reads the same in
    any chunk, partition or resumed run, bit for bit."""
    out = sparse.csr_matrix(matrix)
    out.sort_indices()
    return out


def frequent_columns(matrix: sparse.csr_matrix, min_df: int) -> np.ndarray:
    """Columns present in at least ``min_df`` rows."""
    return np.flatnonzero(np.diff(sparse.csc_matrix(matrix).indptr) >= min_df)


class NgramCounts:
    """N-gram counts of ``clauses`` and of the texts they belong to (``owners[i]`` is clause i's text)."""

    def __init__(self, clauses: Sequence[str], owners: Sequence[int], n_texts: int) -> None:
        self.n_texts = n_texts
        self.clause_counts, self.vocabulary = count_matrix(clauses)
        membership = sparse.csr_matrix(
            (np.ones(len(clauses), dtype=np.float32), (np.asarray(owners, dtype=np.int64), np.arange(len(clauses)))),
            shape=(n_texts, len(clauses)),
        )
        self.text_counts = sparse.csr_matrix(membership @ self.clause_counts)
        self._projections: dict[int, sparse.csr_matrix] = {}

    def projection(self, vocabulary: np.ndarray) -> sparse.csr_matrix:
        """Batch vocabulary → ``vocabulary`` (kept per target, so each is built once)."""
        key = id(vocabulary)
        if key not in self._projections:
            self._projections[key] = project(self.vocabulary, vocabulary)
        return self._projections[key]

    def clauses_in(self, vocabulary: np.ndarray, rows: Sequence[int] | None = None) -> sparse.csr_matrix:
        """Clause counts (all, or those of ``rows``) over ``vocabulary``'s columns."""
        counts = self.clause_counts if rows is None else self.clause_counts[list(rows)]
        return canonical(counts @ self.projection(vocabulary))

    def texts_in(self, vocabulary: np.ndarray, rows: Sequence[int] | None = None) -> sparse.csr_matrix:
        """Text counts (all, or those of ``rows``) over ``vocabulary``'s columns."""
        counts = self.text_counts if rows is None else self.text_counts[list(rows)]
        return canonical(counts @ self.projection(vocabulary))
