"""Emerging topics: untagged negative feedback clustered into named, deterministic topics."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carlzon.analysis.topics import discover_topics, tokenize

VOCABULARY = {
    "parking": ["停车场", "停车位", "收费", "太贵", "车位", "停车"],
    "wifi": ["wifi", "password", "signal", "router", "login", "connection"],
    "app": ["app", "crashed", "checkout", "freezes", "update", "login screen"],
}


def _text(rng: np.random.Generator, topic: str) -> str:
    words = rng.choice(VOCABULARY[topic], size=3, replace=False)
    return ("，".join(words) + "，很差") if topic == "parking" else " ".join(words) + " terrible"


def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    texts, created = [], []
    for i in range(120):
        texts.append(_text(rng, "parking" if i % 2 else "wifi"))
        created.append(pd.Timestamp("2026-10-01", tz="UTC") + pd.Timedelta(days=int(i * 0.5)))
    for j in range(30):  # a burst of a third topic in the last days
        texts.append(_text(rng, "app"))
        created.append(pd.Timestamp("2026-11-28", tz="UTC") + pd.Timedelta(hours=j))
    return pd.DataFrame({"feedback_id": range(len(texts)), "text": texts, "sentiment": -0.6, "created_at": created})


def test_topics_are_found_labelled_and_new_ones_flagged() -> None:
    topics = discover_topics(_frame(), min_size=10)
    assert len(topics) == 3
    by_vocabulary = {
        name: next(t for t in topics if set(t.terms[:3]) <= set(words)) for name, words in VOCABULARY.items()
    }
    assert {name: t.size for name, t in by_vocabulary.items()} == {"parking": 60, "wifi": 60, "app": 30}
    assert [t.new for t in by_vocabulary.values()] == [False, False, True]
    assert all(t.label for t in topics)
    assert discover_topics(_frame(), min_size=10) == topics  # deterministic


def test_tokens_drop_stop_words_and_mentions() -> None:
    assert tokenize("@united the wifi was broken") == ["wifi", "broken"]
    assert "停车场" in tokenize("停車場收費太貴了")  # traditional is normalised first
