"""`carlzon qa train`: a model of a team's own QA scores (A / S / E, or any of them) from their dialogues.

Scores: ridge regression over what the zero-shot reading knows (the score, the customer's last-turn
sentiment, whether the customer spoke last, the length) beside TF-IDF of the whole dialogue (each
turn marked C: or H:) and of its last turn — character 1–3-grams for Chinese, words and word pairs
for English. Nugget types (when every turn has a nugget_majority label): a linear SVM per type
over the turn's TF-IDF, the next turn's opening and the zero-shot reading. Both cross-validated in
five folds (split by conversation) before the final fit, so the file records how well it
generalises. Stored as numpy arrays (encode_state: no pickle, nothing in it can run code).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from carlzon import __version__
from carlzon.analysis.base import decode_state, encode_state
from carlzon.analysis.language import normalise
from carlzon.errors import InputError
from carlzon.files import output_file
from carlzon.serviceqa.feelings import MEASURES, last_customer_sentiments
from carlzon.serviceqa.files import load_conversations
from carlzon.serviceqa.models import Conversation
from carlzon.serviceqa.nuggets import NUGGETS, predicted_nuggets
from carlzon.serviceqa.reading import TurnReading, read_turn
from carlzon.serviceqa.scoring import score_readings

FORMAT = 1
FOLDS = 5
ALPHA = 1.0
READING_WEIGHT = 3.0  # the zero-shot features' scale beside unit-length TF-IDF rows
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Vocabulary:
    """A fitted TF-IDF: terms, their idf, and how texts are cut into terms."""

    terms: list[str]
    idf: np.ndarray
    chinese: bool

    @classmethod
    def fit(cls, texts: list[str], chinese: bool) -> Vocabulary:

        vectorizer = _vectorizer(chinese, None).fit(texts)
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        return cls(terms, vectorizer.idf_, chinese)

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        counts = _vectorizer(self.chinese, self.terms).fit_transform(texts).astype(float).tocsr()
        counts.data = 1.0 + np.log(counts.data)  # sublinear tf, as at fit
        weighted = counts.multiply(self.idf).tocsr()
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1))).ravel()
        norms[norms == 0] = 1.0
        return sparse.diags(1.0 / norms) @ weighted


def _vectorizer(chinese: bool, vocabulary: list[str] | None):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    options = {"analyzer": "char", "ngram_range": (1, 3)} if chinese else {"analyzer": "word", "ngram_range": (1, 2)}
    if vocabulary is None:
        return TfidfVectorizer(sublinear_tf=True, min_df=2, **options)
    return CountVectorizer(vocabulary=vocabulary, **options)


NUGGET_C = 0.3
NEXT_WEIGHT = 0.5  # the next turn's first words beside the turn's own ("收到了，谢谢" after a fix)
NEXT_CHARS = 60


@dataclass(frozen=True)
class Dialogues:
    """What both models read of a set of conversations, worked out once: the customer's last-turn
    sentiment (one pass of the sentiment analyzer) and each turn's reading, then the texts and rows
    the features are built from. Folds take subsets of it instead of reading the dialogues again."""

    conversations: list[Conversation]
    documents: list[str]  # the whole dialogue, each turn marked C: or H:
    endings: list[str]  # its last turn
    reading: np.ndarray  # per conversation: last-turn sentiment, zero-shot score, customer last, length
    turn_texts: list[str]
    turn_nexts: list[str]
    turn_rows: np.ndarray
    starts: np.ndarray  # where each conversation's turns begin in the turn lists

    @classmethod
    def of(cls, conversations: list[Conversation], feelings: list[float | None] | None = None) -> Dialogues:
        feelings = last_customer_sentiments(conversations) if feelings is None else feelings
        documents, endings, reading, texts, nexts, rows = [], [], [], [], [], []
        for conversation, feeling in zip(conversations, feelings, strict=True):
            readings = [read_turn(turn) for turn in conversation.turns]
            documents.append(
                " ".join(("C: " if t.role == "customer" else "H: ") + normalise(t.text) for t in conversation.turns)
            )
            endings.append(normalise(conversation.turns[-1].text) if conversation.turns else "")
            score = score_readings(conversation.id, readings, feeling).score / 100
            last_customer = bool(readings) and readings[-1].role == "customer"
            reading.append([feeling or 0.0, score, float(last_customer), len(readings) / 7])
            _add_turns(conversation, readings, texts, nexts, rows)
        return cls(
            conversations,
            documents,
            endings,
            np.array(reading).reshape(-1, 4) * READING_WEIGHT,
            texts,
            nexts,
            np.array(rows, dtype=float),
            np.cumsum([0] + [len(c.turns) for c in conversations]),
        )

    def subset(self, indices: Sequence[int]) -> Dialogues:
        turns = [j for i in indices for j in range(self.starts[i], self.starts[i + 1])]
        return Dialogues(
            [self.conversations[i] for i in indices],
            [self.documents[i] for i in indices],
            [self.endings[i] for i in indices],
            self.reading[list(indices)],
            [self.turn_texts[j] for j in turns],
            [self.turn_nexts[j] for j in turns],
            self.turn_rows[turns],
            np.cumsum([0] + [self.starts[i + 1] - self.starts[i] for i in indices]),
        )

    @property
    def chinese(self) -> bool:
        return _chinese(self.conversations)


def _dialogues(given: Dialogues | list[Conversation]) -> Dialogues:
    return given if isinstance(given, Dialogues) else Dialogues.of(given)


def _add_turns(
    conversation: Conversation, readings: list[TurnReading], texts: list[str], nexts: list[str], rows: list[list[Any]]
) -> None:
    """Per turn: its text (role-marked), the next turn's opening, and what the reading says of it."""
    guesses = predicted_nuggets(readings)
    n = len(readings)
    for i, (turn, reading, guess) in enumerate(zip(conversation.turns, readings, guesses, strict=True)):
        following = readings[i + 1] if i + 1 < n else None
        texts.append(("C " if turn.role == "customer" else "H ") + normalise(turn.text))
        nexts.append("N " + (normalise(conversation.turns[i + 1].text)[:NEXT_CHARS] if following else ""))
        rows.append(
            [
                turn.role == "customer",
                i == 0,
                i == n - 1,
                i / max(n - 1, 1),
                min(reading.length, 200) / 200,
                reading.solved,
                reading.unsolved,
                reading.question,
                *(step in reading.steps for step in ("explore", "offer", "act", "confirm")),
                *(b in reading.behaviours for b in ("apology", "brush_off", "politeness")),
                bool(following and following.solved),
                *(guess == name for name in NUGGETS),
            ]
        )


def _features(whole: Vocabulary, last: Vocabulary, dialogues: Dialogues) -> sparse.csr_matrix:
    return sparse.hstack(
        [whole.transform(dialogues.documents), last.transform(dialogues.endings), sparse.csr_matrix(dialogues.reading)]
    ).tocsr()


@dataclass
class NuggetModel:
    """A linear SVM per nugget type over the turn's TF-IDF, the next turn's opening and the reading."""

    turn: Vocabulary
    next: Vocabulary
    coefficients: np.ndarray
    intercepts: np.ndarray
    classes: list[str]

    @classmethod
    def fit(cls, given: Dialogues | list[Conversation], labels: list[str]) -> NuggetModel:
        from sklearn.svm import LinearSVC

        dialogues = _dialogues(given)
        turn = Vocabulary.fit(dialogues.turn_texts, dialogues.chinese)
        following = Vocabulary.fit(dialogues.turn_nexts, dialogues.chinese)
        svm = LinearSVC(C=NUGGET_C, class_weight="balanced", random_state=0)
        svm.fit(cls._features(turn, following, dialogues), labels)
        return cls(turn, following, svm.coef_, svm.intercept_, [str(c) for c in svm.classes_])

    @staticmethod
    def _features(turn: Vocabulary, following: Vocabulary, dialogues: Dialogues) -> sparse.csr_matrix:
        return sparse.hstack(
            [
                turn.transform(dialogues.turn_texts),
                NEXT_WEIGHT * following.transform(dialogues.turn_nexts),
                sparse.csr_matrix(dialogues.turn_rows),
            ]
        ).tocsr()

    def predict(self, given: Dialogues | list[Conversation]) -> list[str]:
        margins = self._features(self.turn, self.next, _dialogues(given)) @ self.coefficients.T + self.intercepts
        if margins.ndim == 1:
            return [self.classes[1] if m > 0 else self.classes[0] for m in margins]
        return [self.classes[i] for i in np.asarray(margins).argmax(axis=1)]


def gold_nuggets(conversations: list[Conversation]) -> list[str] | None:
    """Every turn's nugget_majority label, or None when any turn lacks one."""
    labels = [turn.get("nugget_majority") for c in conversations for turn in c.extra.get("turns", [])]
    total = sum(len(c.turns) for c in conversations)
    return [str(x) for x in labels] if len(labels) == total and all(isinstance(x, str) for x in labels) else None


def cross_validate_nuggets(given: Dialogues | list[Conversation], labels: list[str], folds: int = FOLDS) -> float:
    """Macro-F1 of out-of-fold nugget predictions, folds split by conversation."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import KFold

    dialogues = _dialogues(given)
    starts = dialogues.starts
    predicted: list[str] = [""] * len(labels)
    for train, test in KFold(folds, shuffle=True, random_state=0).split(dialogues.conversations):
        taught = [labels[j] for i in train for j in range(starts[i], starts[i + 1])]
        guesses = iter(NuggetModel.fit(dialogues.subset(train), taught).predict(dialogues.subset(test)))
        for i in test:
            for j in range(starts[i], starts[i + 1]):
                predicted[j] = next(guesses)
    present = sorted(set(labels))
    return round(float(f1_score(labels, predicted, labels=present, average="macro", zero_division=0)), 4)


@dataclass
class QAModel:
    """Per measure, a ridge regression over the dialogue's features."""

    whole: Vocabulary
    last: Vocabulary
    coefficients: dict[str, np.ndarray]
    intercepts: dict[str, float]
    nuggets: NuggetModel | None = None

    @classmethod
    def fit(cls, given: Dialogues | list[Conversation], targets: dict[str, np.ndarray]) -> QAModel:
        from sklearn.linear_model import Ridge

        dialogues = _dialogues(given)
        whole = Vocabulary.fit(dialogues.documents, dialogues.chinese)
        last = Vocabulary.fit(dialogues.endings, dialogues.chinese)
        features = _features(whole, last, dialogues)
        fitted = {name: Ridge(alpha=ALPHA).fit(features, y) for name, y in targets.items()}
        return cls(
            whole,
            last,
            {n: m.coef_.astype(np.float64) for n, m in fitted.items()},
            {n: float(m.intercept_) for n, m in fitted.items()},
        )

    def predict(self, given: Dialogues | list[Conversation]) -> dict[str, np.ndarray]:
        features = _features(self.whole, self.last, _dialogues(given))
        return {name: features @ coef + self.intercepts[name] for name, coef in self.coefficients.items()}

    def to_bytes(self, meta: dict[str, Any]) -> bytes:
        state: dict[str, np.ndarray] = {
            "meta": np.array(json.dumps(meta | {"measures": list(self.coefficients)}, ensure_ascii=False)),
            "whole_terms": np.array(self.whole.terms, dtype=str),
            "whole_idf": self.whole.idf,
            "last_terms": np.array(self.last.terms, dtype=str),
            "last_idf": self.last.idf,
            "chinese": np.array(self.whole.chinese),
        }
        for name, coef in self.coefficients.items():
            state[f"coef_{name}"] = coef
            state[f"intercept_{name}"] = np.array(self.intercepts[name])
        if self.nuggets is not None:
            state |= {
                "nug_turn_terms": np.array(self.nuggets.turn.terms, dtype=str),
                "nug_turn_idf": self.nuggets.turn.idf,
                "nug_next_terms": np.array(self.nuggets.next.terms, dtype=str),
                "nug_next_idf": self.nuggets.next.idf,
                "nug_coef": self.nuggets.coefficients,
                "nug_intercept": self.nuggets.intercepts,
                "nug_classes": np.array(self.nuggets.classes, dtype=str),
            }
        return encode_state(state)

    @classmethod
    def load(cls, path: Path) -> tuple[QAModel, dict[str, Any]]:
        again = "train it again with: carlzon qa train --data FILE --out MODEL"
        if not path.is_file():
            raise InputError(f"QA model {path} does not exist; {again}")
        try:
            state = decode_state(path.read_bytes())
            meta = json.loads(str(state["meta"]))
            chinese = bool(state["chinese"])
            whole = Vocabulary([str(t) for t in state["whole_terms"]], state["whole_idf"], chinese)
            last = Vocabulary([str(t) for t in state["last_terms"]], state["last_idf"], chinese)
            measures = meta["measures"]
            model = cls(
                whole,
                last,
                {m: state[f"coef_{m}"] for m in measures},
                {m: float(state[f"intercept_{m}"]) for m in measures},
            )
            if "nug_coef" in state:
                model.nuggets = NuggetModel(
                    Vocabulary([str(t) for t in state["nug_turn_terms"]], state["nug_turn_idf"], chinese),
                    Vocabulary([str(t) for t in state["nug_next_terms"]], state["nug_next_idf"], chinese),
                    state["nug_coef"],
                    state["nug_intercept"],
                    [str(c) for c in state["nug_classes"]],
                )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path} is not a Carlzon QA model ({type(exc).__name__}); {again}") from None
        if meta.get("format") != FORMAT or meta.get("task") != "qa":
            raise InputError(f"{path} is not a Carlzon QA model of format {FORMAT}; {again}")
        return model, meta


def _chinese(conversations: list[Conversation]) -> bool:
    sample = " ".join(t.text for c in conversations[:200] for t in c.turns)
    return len(_HAN.findall(sample)) > len(sample) * 0.1


def quality_targets(conversations: list[Conversation], data: Path) -> dict[str, np.ndarray]:
    judged = [c.extra.get("quality_mean") for c in conversations]
    if not all(isinstance(j, dict) for j in judged):
        raise InputError(f"{data}: every conversation needs quality_mean scores (A, S, E) to learn from")
    measures = [m for m in MEASURES if all(m in j for j in judged)]  # type: ignore[operator]
    if not measures:
        raise InputError(f"{data}: quality_mean has none of {', '.join(MEASURES)}")
    return {m: np.array([float(j[m]) for j in judged]) for m in measures}  # type: ignore[index]


def cross_validate(
    given: Dialogues | list[Conversation], targets: dict[str, np.ndarray], folds: int = FOLDS
) -> dict[str, float]:
    """Spearman of out-of-fold predictions with each measure, over ``folds`` seeded folds."""
    from scipy.stats import spearmanr
    from sklearn.model_selection import KFold

    dialogues = _dialogues(given)
    predicted = {name: np.zeros(len(dialogues.conversations)) for name in targets}
    for train, test in KFold(folds, shuffle=True, random_state=0).split(dialogues.conversations):
        model = QAModel.fit(dialogues.subset(train), {n: y[train] for n, y in targets.items()})
        for name, values in model.predict(dialogues.subset(test)).items():
            predicted[name][test] = values
    return {name: round(float(spearmanr(predicted[name], y).statistic), 4) for name, y in targets.items()}


def train_qa(data: Path, out: Path) -> dict[str, Any]:
    """Cross-validate, fit on everything, save to ``out``; the model's metadata (with ``cv_spearman``)."""
    conversations = load_conversations(data)
    if len(conversations) < FOLDS * 4:
        raise InputError(
            f"{data}: {len(conversations)} conversations are too few to learn from; give at least {FOLDS * 4}"
        )
    targets = quality_targets(conversations, data)
    labels = gold_nuggets(conversations)
    dialogues = Dialogues.of(conversations)
    meta = {
        "format": FORMAT,
        "task": "qa",
        "carlzon": __version__,
        "n_train": len(conversations),
        "cv_spearman": cross_validate(dialogues, targets),
        "cv_nugget_macro_f1": cross_validate_nuggets(dialogues, labels) if labels else None,
        "data": str(data),
    }
    model = QAModel.fit(dialogues, targets)
    if labels:
        model.nuggets = NuggetModel.fit(dialogues, labels)
    with output_file(out, "model"):
        out.write_bytes(model.to_bytes(meta))
    return meta
