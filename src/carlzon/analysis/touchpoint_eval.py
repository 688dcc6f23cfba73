"""Zero-shot touchpoint tagging measured on datasets whose labels are not touchpoint ids.

A label map (YAML) says which touchpoint each dataset label means — one id, a list (the first
names the group), or null (the row is left out). Single-label data is scored by accuracy and
macro-F1 of the tagger's strongest touchpoint; multi-label data (rows sharing a group column are
one text) by micro- and macro-F1 over the sets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from carlzon.analysis.labelled import check_label_map, read_frame, targets
from carlzon.analysis.language import normalise
from carlzon.analysis.touchpoints import TouchpointTagger
from carlzon.analysis.trained import evaluate_predictions, set_metrics
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
