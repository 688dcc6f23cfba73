"""Zero-shot touchpoint tagging measured on datasets whose labels are not touchpoint ids.

A label map (YAML) says which touchpoint each dataset label means — one id, a list (the first
names the group), or null (the row is left out). Single-label data is scored by accuracy and
macro-F1 of the tagger's strongest touchpoint; multi-label data (rows sharing a group column are
one text) by micro- and macro-F1 over the sets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from carlzon.analysis.language import normalise
from carlzon.analysis.touchpoints import TouchpointTagger
from carlzon.analysis.trained import evaluate_predictions
from carlzon.errors import InputError
from carlzon.journeys.models import Journey


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
    frame = pd.read_csv(data, dtype=str, keep_default_na=False)
    for column in (text_column, label_column, *([group_column] if group_column else [])):
        if column not in frame.columns:
            raise InputError(f"{data}: no column '{column}'; its columns are: {', '.join(frame.columns)}")
    if not isinstance(label_map, dict):
        raise InputError("the label map must be a mapping: dataset label -> touchpoint id, list of ids, or null")
    unknown = sorted(set(frame[label_column]) - set(label_map) - {""})
    if unknown:
        raise InputError(f"the label map has no entry for label(s) {unknown}; map each to a touchpoint id or null")
    groups = {label: _as_list(target) for label, target in label_map.items()}
    known = {tp.id for tp in journey.touchpoints()}
    for label, targets in groups.items():
        bad = [t for t in targets if t not in known]
        if bad:
            raise InputError(f"label map: {label!r} -> {bad} is not a touchpoint of journey '{journey.id}'")
    tagger = TouchpointTagger(journey)
    group_of = {tp: targets[0] for targets in groups.values() if targets for tp in targets}
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


def _as_list(target: Any) -> list[str]:
    if target is None:
        return []
    return [str(t) for t in target] if isinstance(target, list) else [str(target)]


def _strongest(tagger: TouchpointTagger, text: str, group_of: dict[str, str]) -> str:
    """The mapped touchpoint group the text names most often ('(none)' when it names none)."""
    counts: dict[str, int] = {}
    for tp in tagger.tag(normalise(text)):
        if tp in group_of:
            counts[group_of[tp]] = counts.get(group_of[tp], 0) + 1
    return max(counts, key=lambda k: (counts[k], k)) if counts else "(none)"


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
