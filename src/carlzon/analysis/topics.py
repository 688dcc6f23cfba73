"""Emerging topics: what unhappy customers talk about that the journey's taxonomy does not know.

Negative feedback that maps to no touchpoint is clustered (TF-IDF over jieba words and English
tokens, k-means with a fixed seed) and each cluster is labelled by class-based TF-IDF (the
terms most typical of it compared with the other clusters, as BERTopic does). A topic whose
share of the last 30 days is at least twice its earlier share is flagged as new this period:
a candidate for a new touchpoint, and a candidate moment of truth.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from carlzon.analysis.language import normalise
from carlzon.analysis.sentiment.cues import NEUTRAL_BAND
from carlzon.analysis.sentiment.lexicon import OPINION_WORDS
from carlzon.storage.store import Store

_EN_TOKEN = re.compile(r"[a-z][a-z']{2,}")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_NOISE = re.compile(r"@\w+|https?://\S+|&amp;|#")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "you",
        "your",
        "are",
        "was",
        "were",
        "but",
        "not",
        "with",
        "this",
        "that",
        "have",
        "has",
        "had",
        "they",
        "them",
        "their",
        "its",
        "it's",
        "our",
        "from",
        "what",
        "when",
        "who",
        "will",
        "would",
        "can",
        "could",
        "just",
        "get",
        "got",
        "out",
        "about",
        "all",
        "any",
        "been",
        "being",
        "one",
        "there",
        "here",
        "too",
        "very",
        "than",
        "then",
        "into",
        "only",
        "also",
        "more",
        "much",
        "some",
        "did",
        "does",
        "don't",
        "can't",
        "i'm",
        "you're",
        "we're",
        "it's",
        "thanks",
        "i've",
        "i'd",
        "i'll",
        "you've",
        "again",
        "still",
        "now",
        "today",
        "yet",
        "why",
        "thank",
        "please",
        "的",
        "了",
        "是",
        "我",
        "你",
        "他",
        "她",
        "也",
        "都",
        "就",
        "还",
        "和",
        "在",
        "有",
        "没",
        "没有",
        "很",
        "太",
        "又",
        "吧",
        "啊",
        "呢",
        "吗",
        "给",
        "这",
        "那",
        "个",
        "一",
        "不",
        "说",
        "到",
        "要",
        "会",
        "去",
        "来",
        "把",
        "被",
    ]
)


MAX_TOPIC_TEXTS = 1_000  # untagged negative texts clustered at most (a seeded sample beyond)
REFRESH_GROWTH = 0.10  # topics are found again once a brand's analysed records have grown by this share


@dataclass(frozen=True)
class Topic:
    """A cluster of untagged negative feedback, named by its most typical terms."""

    id: str
    label: str
    terms: list[str]
    size: int
    sentiment: float
    new: bool
    examples: list[str] = field(default_factory=list)
    feedback_ids: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The topic as JSON (the web API's shape)."""
        return asdict(self)


def tokenize(text: str) -> list[str]:
    """Words of a text: jieba for Chinese runs, plain tokens for English; stop words dropped."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    clean = _NOISE.sub(" ", normalise(text))
    words = _EN_TOKEN.findall(clean)
    for run in _HAN_RUN.findall(clean):
        words += [w for w in jieba.lcut(run) if len(w) > 1]
    return [w for w in words if w not in _STOP and w not in OPINION_WORDS]


def discover_topics(
    frame: pd.DataFrame,
    *,
    max_topics: int = 8,
    min_size: int = 15,
    recent_days: int = 30,
    seed: int = 0,
    population: int | None = None,
) -> list[Topic]:
    """Topics among the rows of ``frame`` (feedback_id, text, sentiment, created_at), largest first.

    ``population``: when ``frame`` is a sample (see sample_for_topics), how many texts it was drawn
    from; a topic's size is then its share of the sample times the population."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    if len(frame) < 2 * min_size:
        return []
    vectorizer = CountVectorizer(tokenizer=tokenize, lowercase=False, min_df=3, token_pattern=None)
    try:
        counts = vectorizer.fit_transform(frame["text"].astype(str))
    except ValueError:  # no term occurs three times: nothing to cluster
        return []
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    k, labels = _best_clustering(tfidf, max_topics=max_topics, min_size=min_size, seed=seed)
    terms = np.array(vectorizer.get_feature_names_out())
    class_counts = np.vstack([np.asarray(counts[labels == c].sum(axis=0)).ravel() for c in range(k)])
    average = class_counts.sum() / k
    idf = np.log1p(average / np.maximum(class_counts.sum(axis=0), 1))
    ctfidf = class_counts / np.maximum(class_counts.sum(axis=1, keepdims=True), 1) * idf
    created = pd.to_datetime(frame["created_at"], utc=True)
    cutoff = created.max() - pd.Timedelta(days=recent_days) if created.notna().any() else None
    topics = []
    for cluster in range(k):
        members = frame[labels == cluster]
        if len(members) < min_size:
            continue
        top = [str(t) for t in terms[np.argsort(-ctfidf[cluster])[:5]] if ctfidf[cluster][terms.tolist().index(t)] > 0]
        topics.append(
            Topic(
                id="",
                label=" / ".join(top[:3]),
                terms=top,
                size=len(members) if population is None else round(len(members) * population / len(frame)),
                sentiment=float(members["sentiment"].mean()),
                new=_is_new(created, labels == cluster, cutoff),
                examples=members["text"].astype(str).head(3).tolist(),
                feedback_ids=[int(i) for i in members["feedback_id"]],
            )
        )
    topics.sort(key=lambda t: -t.size)
    return [Topic(**{**t.__dict__, "id": f"topic_{i}"}) for i, t in enumerate(topics, 1)]


def _best_clustering(tfidf, *, max_topics: int, min_size: int, seed: int) -> tuple[int, np.ndarray]:  # type: ignore[no-untyped-def]
    """k-means with the number of topics that separates the texts best (silhouette, cosine)."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    candidates = range(2, max(2, min(max_topics, tfidf.shape[0] // min_size)) + 1)
    best: tuple[float, int, np.ndarray] | None = None
    for k in candidates:
        labels = KMeans(n_clusters=k, n_init=5, random_state=seed).fit_predict(tfidf)
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(
            tfidf, labels, metric="cosine", sample_size=min(2000, tfidf.shape[0]), random_state=seed
        )
        if best is None or score > best[0]:
            best = (score, k, labels)
    if best is None:
        return 1, np.zeros(tfidf.shape[0], dtype=int)
    return best[1], best[2]


def _is_new(created: pd.Series, member: np.ndarray, cutoff: pd.Timestamp | None) -> bool:
    if cutoff is None:
        return False
    recent = (created >= cutoff).to_numpy()
    if recent.sum() == 0 or (~recent).sum() == 0:
        return False
    recent_share = (member & recent).sum() / recent.sum()
    earlier_share = (member & ~recent).sum() / (~recent).sum()
    return bool((member & recent).sum() >= 5 and recent_share >= 2 * max(earlier_share, 1e-9))


def sample_for_topics(ids: list[int], *, limit: int = MAX_TOPIC_TEXTS, seed: int = 0) -> list[int]:
    """At most ``limit`` of the (sorted) ids, chosen with a fixed seed: clustering a sample of a large
    negative set finds the same topics in a fraction of the time."""
    if len(ids) <= limit:
        return list(ids)
    rng = np.random.default_rng(seed)
    return sorted(int(ids[i]) for i in rng.choice(len(ids), limit, replace=False))


def untagged_negative(results: pd.DataFrame, mentions: pd.DataFrame, *, brand: str | None = None) -> pd.DataFrame:
    """Analysed feedback that is negative and mentions no touchpoint (the input of discover_topics)."""
    rows = results if brand is None else results[results["brand"] == brand]
    tagged = set(mentions["feedback_id"])
    return rows[(rows["sentiment"] < -0.2) & ~rows["feedback_id"].isin(tagged)]


def find_topics(*, store: Store, journey_id: str, brand: str) -> list[Topic]:
    """Emerging topics among the brand's negative feedback that names no touchpoint (a seeded sample
    of it when it is large; topic sizes are then estimates for the whole set)."""
    ids = store.untagged_ids(journey_id, brand, below=-NEUTRAL_BAND)
    chosen = sample_for_topics(ids)
    if not chosen:
        return []
    frame = store.analysed_texts(journey_id, chosen)
    return discover_topics(frame, population=len(ids) if len(chosen) < len(ids) else None)


def refresh_topics(*, store: Store, journey_id: str, run_id: int, version: str, redo_all: bool) -> None:
    """Keep every brand's topics up to date after analysis run ``run_id``: found again after a run
    that redid everything, when none are kept under ``version``, or when the brand's analysed
    records have grown by REFRESH_GROWTH since they were found; otherwise the kept ones stand (a few
    percent more feedback does not change what the clusters are, and finding them costs seconds)."""
    for brand, analysed in store.analysed_by_brand(journey_id).items():
        kept = store.kept_topics(journey_id, brand)
        fresh = kept is not None and kept[1] == version and analysed < kept[2] * (1 + REFRESH_GROWTH)
        if fresh and not redo_all:
            store.keep_topics_for(journey_id, brand, run_id)
            continue
        topics = find_topics(store=store, journey_id=journey_id, brand=brand)
        kept_now = [topic.to_dict() for topic in topics]
        store.save_topics(journey_id, brand, run_id=run_id, version=version, analysed=analysed, topics=kept_now)


def topics_of(*, store: Store, journey_id: str, brand: str) -> list[Topic]:
    """The brand's topics as of the journey's newest analysis: those its runs kept, or found now (and kept)."""
    run_id = store.last_finished_run_id(journey_id)
    kept = store.kept_topics(journey_id, brand)
    if kept is not None and kept[0] == run_id:
        return [Topic(**topic) for topic in kept[3]]
    topics = find_topics(store=store, journey_id=journey_id, brand=brand)
    analysed = store.analysed_by_brand(journey_id).get(brand, 0)
    version = kept[1] if kept is not None else ""
    store.save_topics(
        journey_id, brand, run_id=run_id, version=version, analysed=analysed, topics=[t.to_dict() for t in topics]
    )
    return topics
