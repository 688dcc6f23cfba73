"""Self-training: the zero-shot lexicon teaches a text classifier on the user's own unlabeled feedback.

Nothing is labelled by hand and nothing is downloaded. The lexicon scores every text; the most
confident share of each class it predicts (so the classes keep the proportions the lexicon sees:
hotel reviews are mostly warm, delivery comments mostly cross) become pseudo-labels for a
character n-gram classifier, which then reads every text, including the many the lexicon had no
word for. Its margin is blended with the lexicon's score (bench/RESULTS.md has the figures).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from carlzon.analysis.features import NgramCounts, frequent_columns
from carlzon.analysis.linear import LinearTfidf
from carlzon.analysis.sentiment.cues import LABELS, NEUTRAL_BAND

MIN_TEXTS = 500
FRACTION = 0.6  # two classes: of each side the lexicon predicts, its most confident share
THREE_CLASS_SHARE = 0.15  # three classes: this share of the texts from each end and from the middle
MAX_PSEUDO = 60_000  # enough to learn from; keeps fitting bounded on millions of texts


@dataclass(frozen=True)
class SelfTrained:
    """A classifier over the batch's own n-grams (its vocabulary, idf weights and linear SVM), as arrays."""

    model: LinearTfidf

    @property
    def vocabulary(self) -> np.ndarray:
        return self.model.vocabulary

    @property
    def classes_(self) -> list[str]:
        return [str(c) for c in self.model.classes]

    def to_state(self) -> dict[str, np.ndarray]:
        """The classifier as plain arrays (saved with numpy, never pickled)."""
        return self.model.to_state()

    @classmethod
    def from_state(cls, state: dict[str, np.ndarray]) -> SelfTrained:
        """The classifier ``to_state`` gave: the same weights, so the same margins to the last bit."""
        return cls(LinearTfidf.from_state(state))

    def decision(self, counts: NgramCounts) -> np.ndarray:
        """The classifier's margins per text (one column per class of ``classes_``, or one for two)."""
        if counts.n_texts == 0:
            return np.zeros((0, len(self.classes_)))
        return self.model.margins(counts.texts_in(self.vocabulary))


def read_margins(decision: np.ndarray, classes: list[str]) -> tuple[list[str], np.ndarray]:
    """A sentiment classifier's margins as labels and a confidence in (-1, 1): tanh of positive minus negative.

    ``classes`` are positive/negative(/neutral) in the order of the margins' columns.
    """
    if decision.ndim == 1:  # binary: the margin of classes[1]
        predicted = [classes[1] if d > 0 else classes[0] for d in decision]
        signed = decision if classes[1] == "positive" else -decision
    else:
        predicted = [classes[i] for i in decision.argmax(axis=1)]
        signed = decision[:, classes.index("positive")] - decision[:, classes.index("negative")]
    return predicted, np.tanh(signed)


def lexicon_votes(scores: np.ndarray) -> np.ndarray:
    """The lexicon's say per class (LABELS order): -score, what is left of the neutral band, score.

    On its own its argmax calls a text positive above 0.1 (negative below -0.1): a text's score is
    a mean over clauses, so a clear clause among plain ones lands nearer zero than it reads."""
    return np.stack([-scores, NEUTRAL_BAND - np.abs(scores), scores], axis=1)


def three_class_labels(
    scores: np.ndarray, decision: np.ndarray | None, classes: list[str], english: np.ndarray | None
) -> list[str]:
    """Each text's label when three readers vote: the lexicon (its score), the self-trained
    classifier (its margins, when there is one) and, for English, the English prior.

    Measured on the airline tweets (bench/RESULTS.md): the sum beats any one of them, since each
    errs elsewhere — the lexicon misses what it has no word for, the classifier copies the
    lexicon's mistakes at scale, the prior knows tweets but not customer feedback.
    """
    votes = lexicon_votes(scores)
    if decision is not None:
        if decision.ndim == 1:  # a batch whose pseudo-labels came out in two classes: one margin, for classes[1]
            decision = np.stack([-decision, decision], axis=1)
        for column, label in enumerate(classes):
            votes[:, LABELS.index(label)] += decision[:, column]
    if english is not None:
        votes = votes + english
    return [LABELS[i] for i in votes.argmax(axis=1)]


def self_train(counts: NgramCounts, scores: np.ndarray, *, three_class: bool, seed: int = 0) -> SelfTrained | None:
    """A classifier fitted on pseudo-labels from ``scores``, or None when there is too little to learn from."""
    if counts.n_texts < MIN_TEXTS:
        return None
    picked = _three_class_pseudo_labels(scores) if three_class else _two_class_pseudo_labels(scores)
    labels = {label for _, label in picked}
    if len(labels) < 2:
        return None
    if len(picked) > MAX_PSEUDO:
        keep = np.random.default_rng(seed).choice(len(picked), MAX_PSEUDO, replace=False)
        picked = [picked[i] for i in sorted(keep)]
    return _fit([i for i, _ in picked], [label for _, label in picked], counts)


def _fit(rows: list[int], labels: list[str], counts: NgramCounts) -> SelfTrained:
    """TF-IDF over the n-grams seen in at least two of the batch's texts, into a linear SVM."""
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.svm import LinearSVC

    frequent = frequent_columns(counts.text_counts, min_df=2)
    vocabulary = counts.vocabulary[frequent]
    features = counts.text_counts[rows][:, frequent]
    tfidf = TfidfTransformer(sublinear_tf=True).fit(features)
    # A fixed seed for liblinear's shuffling: without one the fit differs from process to process,
    # and a resumed run or a second machine would not read the records as the first run did.
    classifier = LinearSVC(C=0.5, random_state=0).fit(tfidf.transform(features), labels)
    return SelfTrained(LinearTfidf.from_fitted(vocabulary, tfidf, classifier))


def _two_class_pseudo_labels(scores: np.ndarray) -> list[tuple[int, str]]:
    """The most confident FRACTION of each side, so the classes keep the proportions the lexicon sees."""
    picked = []
    for label, members, order in (
        ("positive", np.flatnonzero(scores > 0), -scores),
        ("negative", np.flatnonzero(scores < 0), scores),
    ):
        confident = members[np.argsort(order[members], kind="stable")][: int(len(members) * FRACTION)]
        picked += [(int(i), label) for i in sorted(confident)]
    return picked


def _three_class_pseudo_labels(scores: np.ndarray) -> list[tuple[int, str]]:
    """An equal share from each end and from the middle.

    With three classes the lexicon's neutral band is not to be trusted with proportions (VADER
    calls 56 % of the negative airline tweets neutral), so each class gets the same share.
    """
    tail = THREE_CLASS_SHARE
    high, low = np.quantile(scores, 1 - tail), np.quantile(scores, tail)
    picked = [(int(i), "positive") for i in np.flatnonzero(scores >= high) if scores[i] > 0]
    picked += [(int(i), "negative") for i in np.flatnonzero(scores <= low) if scores[i] < 0]
    picked += [(int(i), "neutral") for i in np.argsort(np.abs(scores), kind="stable")[: int(len(scores) * tail)]]
    return picked
