"""Self-training: the lexicon's clearest cases teach a classifier that reads what the lexicon cannot."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carlzon.analysis.features import NgramCounts
from carlzon.analysis.language import LanguageAnalyzer
from carlzon.analysis.sentiment.analyzer import SentimentAnalyzer
from carlzon.analysis.sentiment.selftrain import MIN_TEXTS, self_train


def _counts(texts: list[str]) -> NgramCounts:
    return NgramCounts(texts, list(range(len(texts))), len(texts))


def _batch() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    texts = []
    for i in range(700):
        if i % 2:
            texts.append(f"麻辣香锅{rng.choice(['太好吃了', '很满意', '味道一绝'])}，第{i}次")
        else:
            texts.append(f"酸菜鱼{rng.choice(['太慢了', '很失望', '难吃'])}，第{i}次")
    return LanguageAnalyzer().transform(pd.DataFrame({"text": texts}))


def test_the_classifier_learns_words_the_lexicon_has_no_entry_for() -> None:
    batch = _batch()
    analyzer = SentimentAnalyzer(three_class=False).fit(batch)
    assert analyzer.model_ is not None
    unseen = LanguageAnalyzer().transform(pd.DataFrame({"text": ["点了麻辣香锅", "点了酸菜鱼"]}))
    labels = analyzer.transform(unseen)["label"].tolist()
    assert labels == ["positive", "negative"]
    lexicon_only = SentimentAnalyzer(self_train=False).fit(unseen).transform(unseen)
    assert lexicon_only["label"].tolist() != labels  # the lexicon alone cannot tell them apart


def test_too_few_texts_means_no_self_training() -> None:
    assert self_train(_counts(["好吃"] * (MIN_TEXTS - 1)), np.ones(MIN_TEXTS - 1), three_class=False) is None
    small = _batch().head(50)
    assert SentimentAnalyzer().fit(small).model_ is None


def test_pseudo_labels_are_capped(monkeypatch) -> None:
    import carlzon.analysis.sentiment.selftrain as selftrain

    seen: list[int] = []

    real_fit = selftrain._fit

    def recording_fit(rows, labels, counts):  # type: ignore[no-untyped-def]
        seen.append(len(rows))
        return real_fit(rows, labels, counts)

    monkeypatch.setattr(selftrain, "MAX_PSEUDO", 100)
    monkeypatch.setattr(selftrain, "_fit", recording_fit)
    texts = [str(t) for t in _batch()["text"]]
    scores = np.linspace(-1, 1, len(texts))
    self_train(_counts(texts), scores, three_class=False)
    assert seen == [100]  # 60 % of each side of 700 = 420 pseudo-labels, capped at 100


def test_three_class_vote_sums_lexicon_classifier_and_english_prior() -> None:
    from carlzon.analysis.sentiment.selftrain import three_class_labels

    scores = np.array([0.5, 0.0, -0.5])
    assert three_class_labels(scores, None, [], None) == ["positive", "neutral", "negative"]
    # the classifier outvotes a lukewarm lexicon, and a two-class classifier still votes
    decision = np.array([[-1.0, -1.0, 2.0], [2.0, -1.0, -1.0], [-1.0, -1.0, 2.0]])
    assert three_class_labels(scores, decision, ["negative", "neutral", "positive"], None)[1] == "negative"
    assert three_class_labels(scores, np.array([3.0, 3.0, 3.0]), ["negative", "positive"], None) == ["positive"] * 3
    english = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 2.0, 0.0]])
    assert three_class_labels(scores, None, [], english)[2] == "neutral"


def test_the_arrays_read_as_scikit_learn_does() -> None:
    """analysis/linear.py reads a fitted TF-IDF + LinearSVC without scikit-learn: same margins."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.svm import LinearSVC

    from carlzon.analysis.linear import LinearTfidf

    rng = np.random.default_rng(3)
    counts = sparse.csr_matrix(rng.poisson(0.3, size=(200, 40)).astype(np.float32))
    labels = rng.choice(["negative", "neutral", "positive"], size=200)
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    svm = LinearSVC(C=0.5, random_state=0).fit(tfidf.transform(counts), labels)
    model = LinearTfidf.from_fitted(np.arange(40), tfidf, svm)
    assert np.allclose(model.margins(counts), svm.decision_function(tfidf.transform(counts)), atol=1e-12)
    binary = LinearSVC(random_state=0).fit(tfidf.transform(counts), labels == "positive")
    two = LinearTfidf.from_fitted(np.arange(40), tfidf, binary)
    assert np.allclose(two.margins(counts), binary.decision_function(tfidf.transform(counts)), atol=1e-12)
