"""The sentiment priors: fitted from corpora shipped in PyPI packages, cached, and refitted without what
they are measured on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from carlzon.analysis.language import normalise
from carlzon.analysis.sentiment.prior import OVERLAP_CHARS, build_prior, default_prior, overlapping, read_corpus


def test_overlap_is_a_shared_run_of_characters() -> None:
    corpus = ["房间很干净，服务员态度也很好，下次还会入住这家酒店", "早餐太差了"]
    near_copy = "房间很干净!!服务员态度也很好 下次还会入住"  # punctuation and spaces differ
    assert overlapping(corpus, [near_copy]).tolist() == [True, False]
    assert overlapping(corpus, ["房间很干净"]).tolist() == [False, False]  # shorter than OVERLAP_CHARS
    assert OVERLAP_CHARS == 12


def test_the_prior_reads_sentiment_and_is_cached(tmp_path: Path) -> None:
    prior = default_prior()
    margins = prior.decision([normalise(t) for t in ["房间干净，服务热情，非常满意", "太脏了，再也不会来了"]])
    assert margins[0] > 0 > margins[1]
    from carlzon.analysis.sentiment.prior import cache_dir

    assert any(p.name.startswith("zh-sentiment-prior-") for p in cache_dir().iterdir())


def test_excluding_texts_drops_every_overlapping_corpus_sentence() -> None:
    corpus, _ = read_corpus()
    held_out = corpus[:50]
    prior = build_prior(exclude=held_out)
    assert prior.excluded >= 50  # the sentences themselves, and any near copies
    assert np.isfinite(prior.decision([normalise(t) for t in held_out])).all()


def test_the_english_prior_never_learns_from_the_airline_benchmark() -> None:
    texts, labels = read_corpus("en")
    assert len(texts) > 20_000 and set(labels) == {"negative", "neutral", "positive"}
    addressed = [t for t in texts if "@united" in t.lower() or "@jetblue" in t.lower() or "@usairways" in t.lower()]
    assert addressed == []  # the Twitter US Airline Sentiment tweets are left out of the corpus


def test_the_english_prior_reads_three_classes_and_is_cached() -> None:
    from carlzon.analysis.sentiment.cues import LABELS
    from carlzon.analysis.sentiment.prior import cache_dir

    prior = default_prior("en")
    margins = prior.decision(
        [
            normalise(t)
            for t in ["I love this, best day ever!", "this is the worst, I hate it", "what time does the store open?"]
        ]
    )
    assert margins.shape == (3, 3)
    assert [LABELS[i] for i in margins.argmax(axis=1)][:2] == ["positive", "negative"]
    assert LABELS[margins[2].argmax()] == "neutral"  # a plain question
    assert any(p.name.startswith("en-sentiment-prior-") for p in cache_dir().iterdir())


def test_the_english_prior_ignores_who_a_tweet_is_addressed_to() -> None:
    prior = default_prior("en")
    plain, addressed = prior.decision([normalise("my bag is lost"), normalise("@someone my bag is lost http://t.co/x")])
    np.testing.assert_allclose(plain, addressed)


def test_a_prior_fitted_apart_reports_its_failure_here(tmp_path: Path) -> None:
    # The prior is fitted in a forked child (its peak memory goes back to the system when it exits);
    # what goes wrong there must surface in this process, not vanish with the child.
    from carlzon.analysis.sentiment.prior import _fit_and_cache_apart

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(OSError):
        _fit_and_cache_apart("en", blocker / "cache" / "en-prior.joblib")


class _Planted:
    """A pickle that leaves a marker file when it is loaded: what a planted cache file would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (self.marker, "code ran"))


def test_a_planted_pickle_in_the_cache_runs_no_code(tmp_path: Path) -> None:
    # Issue #17: joblib.load of a file planted in CARLZON_CACHE_DIR ran code before any check.
    import pickle

    from carlzon.analysis.sentiment.prior import _cache_path, _load_cached

    path = _cache_path("en")
    marker = tmp_path / "marker"
    backup = path.read_bytes() if path.exists() else None
    try:
        path.write_bytes(pickle.dumps(_Planted(marker)))
        assert _load_cached(path) is None  # unreadable as arrays: refitted, never unpickled
        assert not marker.exists()
    finally:
        if backup is not None:
            path.write_bytes(backup)
        else:
            path.unlink()


def test_a_cache_folder_others_can_write_to_is_refused(tmp_path: Path) -> None:
    from carlzon.analysis.sentiment.prior import _load_cached
    from carlzon.errors import AnalysisError

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.raises(AnalysisError, match="chmod o-w"):
        _load_cached(shared / "zh-sentiment-prior.npz")


def test_the_cached_prior_reads_as_the_fitted_one() -> None:
    from carlzon.analysis.sentiment.prior import _cache_path, _load_cached

    fitted = default_prior("zh")
    cached = _load_cached(_cache_path("zh"))
    assert cached is not None
    texts = [normalise(t) for t in ["房间干净，服务热情", "太脏了", "一般般吧"]]
    assert np.array_equal(fitted.decision(texts), cached.decision(texts))
