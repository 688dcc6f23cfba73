"""Measure a trained model, or the zero-shot default, on labelled data (`carlzon evaluate`).

Zero-shot touchpoint tagging is measured on datasets whose labels are not touchpoint ids through
a label map (YAML) that says which touchpoint each dataset label means — one id, a list (the
first names the group), or null (the row is left out). Single-label data is scored by accuracy
and macro-F1 of the tagger's strongest touchpoint; multi-label data (rows sharing a group column
are one text) by micro- and macro-F1 over the sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from carlzon.analysis.language import LanguageAnalyzer, normalise
from carlzon.analysis.sentiment.analyzer import SentimentAnalyzer
from carlzon.analysis.sentiment.prior import Prior, prior_unseen_by
from carlzon.analysis.touchpoints.tagger import TouchpointTagger
from carlzon.analysis.training.labelled import check_label_map, read_frame, read_labelled, targets
from carlzon.analysis.training.modelfiles import load_model, sentiment_label_names
from carlzon.errors import InputError
from carlzon.journeys.models import Journey


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


def measure(truth: list[Any], predicted: list[Any]) -> dict[str, Any]:
    """Single-label metrics, or set metrics (with micro-F1) when the labels are sets."""
    if truth and isinstance(truth[0], set):
        return set_metrics(truth, predicted)
    return evaluate_predictions(truth, predicted).as_dict()


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
        return measure(labels, stored["pipeline"].predict(texts))
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
        per_class[c] = {**precision_recall_f1(tp, fp, fn), "support": tp + fn}
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
    macro = sum(v["f1"] for v in per_class.values()) / len(per_class) if per_class else 0.0
    exact = sum(1 for t, p in pairs if t == p) / len(pairs) if pairs else 0.0
    return {
        "n": len(pairs),
        "accuracy": round(exact, 4),
        "micro_f1": precision_recall_f1(*totals)["f1"],
        "macro_f1": round(macro, 4),
        "per_class": per_class,
    }


def precision_recall_f1(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def evaluate_touchpoints_zero_shot(
    data: Path,
    *,
    journey: Journey,
    label_map: dict[str, Any],
    text_column: str,
    label_column: str,
    group_column: str | None = None,
) -> dict[str, Any]:
    """The journey's keyword tagger against ``data``; returns the `carlzon evaluate --json` shape."""
    frame = read_frame(data, [text_column, label_column, *([group_column] if group_column else [])])
    if not isinstance(label_map, dict):
        raise InputError("the label map must be a mapping: dataset label -> touchpoint id, list of ids, or null")
    check_label_map(label_map, set(frame[label_column]), {tp.id for tp in journey.touchpoints()}, journey.id)
    groups = {label: targets(target) for label, target in label_map.items()}
    tagger = TouchpointTagger(journey)
    group_of = {tp: ids[0] for ids in groups.values() if ids for tp in ids}
    frame = frame[frame[label_column].map(lambda label: bool(groups.get(label)))]
    if group_column is None:
        truth = [groups[label][0] for label in frame[label_column]]
        predicted = [_strongest(tagger, str(text), group_of) for text in frame[text_column]]
        return evaluate_predictions(truth, predicted).as_dict()
    truth_sets, predicted_sets = [], []
    for _, rows in frame.groupby(group_column, sort=False):
        truth_sets.append({groups[label][0] for label in rows[label_column]})
        tags = tagger.tag(normalise(str(rows[text_column].iloc[0])))
        predicted_sets.append({group_of[t] for t in tags if t in group_of})
    return set_metrics(truth_sets, predicted_sets)


def _strongest(tagger: TouchpointTagger, text: str, group_of: dict[str, str]) -> str:
    """The mapped touchpoint group the text names most often, counting every keyword occurrence;
    of equals, the one named first ('(none)' when it names none).

    "@united my bag is lost, the bag tag says Denver and nobody answers the phone" is about
    baggage (two mentions) before customer service (one)."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for tp, start in tagger.mentions(normalise(text)):
        if tp in group_of:
            group = group_of[tp]
            counts[group] = counts.get(group, 0) + 1
            first.setdefault(group, start)
    return min(counts, key=lambda group: (-counts[group], first[group])) if counts else "(none)"
