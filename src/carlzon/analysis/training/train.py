"""Train a sentiment or touchpoint classifier on the user's own labelled feedback.

The classifier is classifier.TextClassifier (character n-grams, optionally with sentence
embeddings, into a linear SVM; multi-label for touchpoints when rows are grouped); the file it is
saved in is described in modelfiles.py.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from carlzon import __version__
from carlzon.analysis.training.classifier import TextClassifier
from carlzon.analysis.training.evaluate import measure
from carlzon.analysis.training.labelled import read_labelled
from carlzon.analysis.training.modelfiles import FORMAT_VERSION, TASKS, save_model
from carlzon.errors import InputError, listed
from carlzon.files import output_file
from carlzon.journeys.models import Journey

C_GRID = (0.1, 0.3, 1.0)
TEXT_TASKS = ("sentiment", "touchpoints")  # read from a text and a label column; aspects: training/aspects.py
HOLDOUT = 0.2  # share of the labelled texts kept aside to choose the settings and measure the model
MIN_EXAMPLES = 5  # texts a label needs so that the hold-out holds at least one (5 × 0.2)
MAX_LABELS = 200  # distinct labels a model may learn: beyond, a typo'd column (ids as labels) runs for hours
ProgressCallback = Callable[[int, int], None]


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
    max_labels: int = MAX_LABELS,
    on_progress: ProgressCallback | None = None,
) -> dict:  # type: ignore[type-arg]
    """Fit on ``data``, choose the SVM's C (and, for sentiment, class weighting) and measure on a 20 %
    hold-out, refit on everything, save to ``out``. ``on_progress(fits done, fits in all)`` after each
    fit; more than ``max_labels`` distinct labels is refused before any.

    Touchpoint models weigh classes by their rarity (a rare touchpoint matters as much as a common
    one); with ``group_column`` they are multi-label; with ``journey`` its keyword taxonomy's
    matches join the features.
    """
    if task not in TEXT_TASKS:
        raise InputError(
            f"task {task!r}: choose {' or '.join(TASKS)}" + (" (aspects: train_aspects)" if task == "aspects" else "")
        )
    texts, labels = read_labelled(data, text_column, label_column, group_column=group_column, label_map=label_map)
    multilabel = group_column is not None
    _check_label_count(data, label_column, labels, max_labels)
    _check_enough_examples(data, label_column, labels)
    return fit_and_save(
        task,
        texts,
        labels,
        data=data,
        out=out,
        multilabel=multilabel,
        label_map=label_map,
        embeddings=embeddings,
        journey=journey,
        seed=seed,
        on_progress=on_progress,
    )


def fit_and_save(
    task: str,
    texts: list[str],
    labels: list[Any],
    *,
    data: Path,
    out: Path,
    multilabel: bool = False,
    label_map: dict[str, Any] | None = None,
    embeddings: str | None = None,
    journey: Journey | None = None,
    seed: int = 0,
    on_progress: ProgressCallback | None = None,
) -> dict:  # type: ignore[type-arg]
    """The SVM's C (and class weighting) chosen on a 20 % hold-out, refitted on everything, saved to ``out``."""
    from sklearn.model_selection import train_test_split

    def new(setting: tuple[float, str | None]) -> TextClassifier:
        c, class_weight = setting
        return TextClassifier(
            C=c, embeddings=embeddings, multilabel=multilabel, class_weight=class_weight, journey=journey_features
        )

    # A rare touchpoint matters as much as a common one; for sentiment the hold-out decides
    # (balancing lifts neutral tweets but can cost accuracy elsewhere).
    weightings = ("balanced",) if task == "touchpoints" else (None, "balanced")
    journey_features = journey if task == "touchpoints" else None  # the taxonomy's matches: touchpoint features
    grid = [(c, weighting) for weighting in weightings for c in C_GRID]

    stratify = None if multilabel else labels
    train_x, test_x, train_y, test_y = train_test_split(
        texts, labels, test_size=HOLDOUT, random_state=seed, stratify=stratify
    )
    # The regularisation is chosen on the hold-out (its metrics are those of the chosen setting).
    trials = {}
    for done, setting in enumerate(grid):
        if on_progress is not None:
            on_progress(done, len(grid) + 1)
        trials[setting] = measure(test_y, new(setting).fit(train_x, train_y).predict(test_x))
    chosen = max(grid, key=lambda setting: (trials[setting]["macro_f1"], trials[setting]["accuracy"]))
    holdout = trials[chosen]
    if on_progress is not None:
        on_progress(len(grid), len(grid) + 1)
    classifier = new(chosen).fit(texts, labels)
    if on_progress is not None:
        on_progress(len(grid) + 1, len(grid) + 1)
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
    with output_file(out, "model"):
        save_model(model, out)
    return model


def _check_label_count(data: Path, label_column: str, labels: list[Any], max_labels: int) -> None:
    """Refuse a label column with more distinct labels than a model should learn: most likely the
    wrong column (ids, free text), and training on it would run for hours."""
    distinct = sorted({label for entry in labels for label in (entry if isinstance(entry, set) else [entry])})
    if len(distinct) > max_labels:
        raise InputError(
            f"{data}: column '{label_column}' has {len(distinct):,} distinct labels ({listed(distinct, 5)}); "
            f"the limit is {max_labels:,}. Is it the label column? Merge labels with --label-map, "
            "or raise the limit with --max-labels"
        )


def _check_enough_examples(data: Path, label_column: str, labels: list[Any]) -> None:
    """Every label needs MIN_EXAMPLES texts: the 20 % hold-out that chooses the settings and
    measures the model must hold one of each, and training the rest. With fewer, the hold-out
    figures saved with the model would be noise (a label it never saw scores 0)."""
    counts = Counter(label for entry in labels for label in (entry if isinstance(entry, set) else [entry]))
    scarce = sorted(label for label, count in counts.items() if count < MIN_EXAMPLES)
    if scarce:
        shown = listed(f"{label!r} ({counts[label]})" for label in scarce)
        raise InputError(
            f"{data}: column '{label_column}' has fewer than {MIN_EXAMPLES} texts for {shown}; "
            "label more of them, or merge or drop those labels with --label-map (a label mapped to null is left out)"
        )
