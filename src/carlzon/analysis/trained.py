"""Models trained on the user's own labelled feedback: sentiment or touchpoint classifiers.

The classifier is classifier.TextClassifier (character n-grams, optionally with sentence
embeddings, into a linear SVM; multi-label for touchpoints when rows are grouped). A model file
holds the fitted classifier, its task, labels, label map, the SHA-256 of the training data and
its measured hold-out metrics, so a model can always say what it was trained on and how good it
was. Model files are Python pickles (joblib): load only files you made yourself.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from carlzon import __version__
from carlzon.analysis.classifier import TextClassifier
from carlzon.analysis.labelled import read_labelled
from carlzon.analysis.language import normalise
from carlzon.analysis.prior import Prior, prior_unseen_by
from carlzon.errors import AnalysisError, InputError
from carlzon.files import output_file
from carlzon.journeys.models import Journey

TASKS = ("sentiment", "touchpoints")
C_GRID = (0.1, 0.3, 1.0)
FORMAT_VERSION = 3
HOLDOUT = 0.2  # share of the labelled texts kept aside to choose the settings and measure the model
MIN_EXAMPLES = 5  # texts a label needs so that the hold-out holds at least one (5 × 0.2)


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


def train_model(
    task: str,
    data: Path,
    *,
    text_column: str,
    label_column: str,
    out: Path,
    group_column: str | None = None,
    label_map: dict[str, Any] | None = None,
    embeddings: str | None = None,
    journey: Journey | None = None,
    seed: int = 0,
) -> dict:  # type: ignore[type-arg]
    """Fit on ``data``, choose the SVM's C (and, for sentiment, class weighting) and measure on a 20 %
    hold-out, refit on everything, save to ``out``.

    Touchpoint models weigh classes by their rarity (a rare touchpoint matters as much as a common
    one); with ``group_column`` they are multi-label; with ``journey`` its keyword taxonomy's
    matches join the features.
    """
    from sklearn.model_selection import train_test_split

    if task not in TASKS:
        raise InputError(f"task {task!r}: choose {' or '.join(TASKS)}")
    texts, labels = read_labelled(data, text_column, label_column, group_column=group_column, label_map=label_map)
    multilabel = group_column is not None
    _check_enough_examples(data, label_column, labels)

    def new(setting: tuple[float, str | None]) -> TextClassifier:
        c, class_weight = setting
        return TextClassifier(
            C=c, embeddings=embeddings, multilabel=multilabel, class_weight=class_weight, journey=journey
        )

    # A rare touchpoint matters as much as a common one; for sentiment the hold-out decides
    # (balancing lifts neutral tweets, 0.757 -> 0.773 macro-F1, but can cost accuracy elsewhere).
    weightings = ("balanced",) if task == "touchpoints" else (None, "balanced")
    grid = [(c, weighting) for weighting in weightings for c in C_GRID]

    stratify = None if multilabel else labels
    train_x, test_x, train_y, test_y = train_test_split(
        texts, labels, test_size=HOLDOUT, random_state=seed, stratify=stratify
    )
    # The regularisation is chosen on the hold-out (its metrics are those of the chosen setting).
    trials = {setting: _measure(test_y, new(setting).fit(train_x, train_y).predict(test_x)) for setting in grid}
    chosen = max(grid, key=lambda setting: (trials[setting]["macro_f1"], trials[setting]["accuracy"]))
    holdout = trials[chosen]
    classifier = new(chosen).fit(texts, labels)
    classes = sorted(set().union(*labels)) if multilabel else sorted(set(labels))
    model = {
        "format": FORMAT_VERSION,
        "carlzon": __version__,
        "task": task,
        "labels": classes,
        "multilabel": multilabel,
        "label_map": label_map,
        "embeddings": embeddings,
        "C": chosen[0],
        "class_weight": chosen[1],
        "journey": journey.id if journey is not None else None,
        "trained_at": datetime.now(UTC).isoformat(),
        "data": str(data),
        "data_sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
        "n_train": len(texts),
        "holdout_metrics": holdout,
        "pipeline": classifier,
    }
    import joblib

    with output_file(out, "model"):
        joblib.dump(model, out)
    return model


def _check_enough_examples(data: Path, label_column: str, labels: list[Any]) -> None:
    """Every label needs MIN_EXAMPLES texts: the 20 % hold-out that chooses the settings and
    measures the model must hold one of each, and training the rest. With fewer, the hold-out
    figures saved with the model would be noise (a label it never saw scores 0)."""
    counts = Counter(label for entry in labels for label in (entry if isinstance(entry, set) else [entry]))
    scarce = sorted(label for label, count in counts.items() if count < MIN_EXAMPLES)
    if scarce:
        listed = ", ".join(f"{label!r} ({counts[label]})" for label in scarce)
        raise InputError(
            f"{data}: column '{label_column}' has fewer than {MIN_EXAMPLES} texts for {listed}; "
            "label more of them, or merge or drop those labels with --label-map (a label mapped to null is left out)"
        )


def _measure(truth: list[Any], predicted: list[Any]) -> dict[str, Any]:
    """Single-label metrics, or set metrics (with micro-F1) when the labels are sets."""
    if truth and isinstance(truth[0], set):
        return set_metrics(truth, predicted)
    return evaluate_predictions(truth, predicted).as_dict()


def load_model(path: Path, task: str) -> dict:
    """A model file saved by train_model, checked for its format and task."""
    import joblib

    if not path.exists():
        raise InputError(f"model file {path} does not exist; train one with: carlzon train {task} ...")
    again = f"train it again with: carlzon train {task} ..."
    try:
        model = joblib.load(path)
    except Exception as exc:  # a file that does not unpickle: any of a dozen errors, all the same to the user
        reason = f"it does not load: {type(exc).__name__}"
        raise InputError(f"{path} is not a Carlzon model file ({reason}); {again}") from exc
    if not isinstance(model, dict) or model.get("format") != FORMAT_VERSION:
        raise InputError(f"{path} is not a Carlzon model file of format {FORMAT_VERSION}; {again}")
    if model["task"] != task:
        raise InputError(f"{path} is a {model['task']} model, not a {task} model")
    return model


def load_sentiment_classifier(path: Path) -> tuple[Any, list[str]]:
    """The classifier in a `carlzon train sentiment` file and its classes as positive / negative
    (/ neutral); an error if the file is not such a model or its labels do not say sentiment."""
    classifier = load_model(path, "sentiment")["pipeline"]
    canonical = {label: name for name, label in sentiment_label_names(list(classifier.classes_)).items()}
    return classifier, [canonical[c] for c in classifier.classes_]


def load_touchpoint_classifier(path: Path, journey: Journey) -> Any:
    """The classifier in a `carlzon train touchpoints` file; an error if it is not such a model or
    predicts anything that is not a touchpoint of ``journey``."""
    stored = load_model(path, "touchpoints")
    foreign = sorted(set(stored["labels"]) - {tp.id for tp in journey.touchpoints()})
    if foreign:
        raise AnalysisError(
            f"{path} predicts {foreign}, which are not touchpoints of journey '{journey.id}'; "
            "train it with a --label-map onto this journey"
        )
    return stored["pipeline"]


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
    group_column: str | None = None,
    label_map: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Evaluate a trained model, or (without one) the zero-shot default sentiment, on labelled data.

    The `carlzon evaluate --json` shape: ``{n, accuracy, macro_f1, per_class}``, plus ``micro_f1``
    for multi-label data. A trained model's own label map applies unless ``label_map`` is given.
    ``unlabeled``: a CSV whose ``text_column`` adds unlabelled texts to what the zero-shot default
    self-trains on (its labels, if any, are never read).
    """
    if model is not None:
        stored = load_model(model, task)
        texts, labels = read_labelled(
            data,
            text_column,
            label_column,
            group_column=group_column,
            label_map=label_map if label_map is not None else stored.get("label_map"),
        )
        if stored.get("multilabel") and labels and not isinstance(labels[0], set):
            labels = [{label} for label in labels]
        return _measure(labels, stored["pipeline"].predict(texts))
    if task != "sentiment":
        raise InputError(
            "zero-shot touchpoint evaluation needs --journey and --label-map; "
            "pass --model to evaluate a trained touchpoint model"
        )
    texts, labels = read_labelled(data, text_column, label_column)
    pool: list[str] = []
    if unlabeled is not None:
        if not unlabeled.exists():
            raise InputError(f"unlabelled data {unlabeled} does not exist")
        extra = pd.read_csv(unlabeled, usecols=[text_column], dtype=str, keep_default_na=False)[text_column]
        pool = [normalise(t) for t in extra if t.strip()]
    predicted = zero_shot_sentiment(
        texts + pool,
        sorted(set(labels)),
        prior=prior_unseen_by(texts),
        english_prior=prior_unseen_by(texts, "en"),
    )[: len(texts)]
    return evaluate_predictions(labels, predicted).as_dict()


def zero_shot_sentiment(
    texts: list[str], label_set: list[str], *, prior: Prior | None = None, english_prior: Prior | None = None
) -> list[str]:
    """The default sentiment analyzer (lexicons + self-training on these texts), mapped onto the labels."""
    from carlzon.analysis.analyzers import LanguageAnalyzer, SentimentAnalyzer

    names = sentiment_label_names(label_set)
    batch = LanguageAnalyzer().transform(pd.DataFrame({"text": texts}))
    analysed = SentimentAnalyzer(
        three_class="neutral" in names, prior=prior, english_prior=english_prior
    ).fit_transform(batch)
    # Binary labels: a "neutral" (only possible without self-training) falls to its score's side.
    return [
        names[label] if label in names else names["positive" if score >= 0 else "negative"]
        for label, score in zip(analysed["label"], analysed["sentiment"], strict=True)
    ]


def sentiment_label_names(label_set: list[str]) -> dict[str, str]:
    """positive/negative(/neutral) -> the dataset's spelling of each (positive, pos, p, 1 …)."""
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
        raise InputError(
            f"cannot map labels {label_set} onto positive/negative(/neutral); "
            "label sentiment as positive, negative and neutral (or pos/neg/neu, 1/0)"
        )
    return names


def set_metrics(truth: list[set[str]], predicted: list[set[str]]) -> dict[str, Any]:
    """Exact-set accuracy, micro-F1 and macro-F1 (over the true classes) of multi-label predictions."""
    classes = sorted(set().union(*truth)) if truth else []
    per_class = {}
    totals = [0, 0, 0]
    pairs = list(zip(truth, predicted, strict=True))
    for c in classes:
        tp = sum(1 for t, p in pairs if c in t and c in p)
        fp = sum(1 for t, p in pairs if c not in t and c in p)
        fn = sum(1 for t, p in pairs if c in t and c not in p)
        per_class[c] = {**_prf(tp, fp, fn), "support": tp + fn}
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
    macro = sum(v["f1"] for v in per_class.values()) / len(per_class) if per_class else 0.0
    exact = sum(1 for t, p in pairs if t == p) / len(pairs) if pairs else 0.0
    return {
        "n": len(pairs),
        "accuracy": round(exact, 4),
        "micro_f1": _prf(*totals)["f1"],
        "macro_f1": round(macro, 4),
        "per_class": per_class,
    }


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
