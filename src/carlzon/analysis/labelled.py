"""Labelled feedback for training and evaluation: read a CSV, map its labels, group multi-label rows.

A label map (YAML) says what each dataset label means in Carlzon's terms — one touchpoint id, a
list of ids (the first names the group the others count as), or null (the row is left out) —
so a public dataset (airline "negativereason", SemEval aspect categories) can train and measure
touchpoint models. Rows sharing a group column are one text with several labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from carlzon.analysis.language import normalise
from carlzon.errors import InputError


def read_frame(path: Path, columns: list[str]) -> pd.DataFrame:
    """The CSV as strings; errors name the file and the missing column."""
    if not path.exists():
        raise InputError(f"labelled data {path} does not exist")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in columns:
        if column not in frame.columns:
            raise InputError(f"{path}: no column '{column}'; its columns are: {', '.join(frame.columns)}")
    return frame


def load_label_map(path: Path) -> dict[str, Any]:
    """A label map from YAML: dataset label -> touchpoint id, list of ids, or null."""
    from carlzon.yamlfile import read_yaml

    mapping = read_yaml(path, "label map")
    if not isinstance(mapping, dict):
        raise InputError(f"{path}: a label map maps each dataset label to a touchpoint id, a list of ids, or null")
    return {str(label): target for label, target in mapping.items()}


def targets(target: Any) -> list[str]:
    """A label map entry as a list of ids (empty for null)."""
    if target is None:
        return []
    return [str(t) for t in target] if isinstance(target, list) else [str(target)]


def check_label_map(
    label_map: Mapping[str, Any], labels: set[str], known: set[str] | None, journey_id: str = ""
) -> None:
    """Every dataset label has an entry, and (with ``known``) every target is a touchpoint of the journey."""
    unknown = sorted(labels - set(label_map) - {""})
    if unknown:
        raise InputError(f"the label map has no entry for label(s) {unknown}; map each to a touchpoint id or null")
    if known is not None:
        for label, target in label_map.items():
            bad = [t for t in targets(target) if t not in known]
            if bad:
                raise InputError(f"label map: {label!r} -> {bad} is not a touchpoint of journey '{journey_id}'")


def read_labelled(
    path: Path,
    text_column: str,
    label_column: str,
    *,
    group_column: str | None = None,
    label_map: Mapping[str, Any] | None = None,
) -> tuple[list[str], list[Any]]:
    """Normalised texts and their labels: a string each, or (with ``group_column``) a set per group.

    With ``label_map`` labels become the group id their entry names; rows mapped to null are left out.
    """
    frame = read_frame(path, [text_column, label_column, *([group_column] if group_column else [])])
    frame = frame[(frame[text_column].str.strip() != "") & (frame[label_column].str.strip() != "")]
    raw = frame[label_column].str.strip()
    if label_map is not None:
        check_label_map(label_map, set(raw), None)
        mapped = raw.map(lambda label: (targets(label_map[label]) or [None])[0])
        frame, raw = frame[mapped.notna()], mapped[mapped.notna()]
    if group_column is None:
        if raw.nunique() < 2:
            raise InputError(f"{path}: column '{label_column}' needs at least two different labels to learn from")
        return [normalise(t) for t in frame[text_column]], raw.tolist()
    texts, label_sets = [], []
    for _, rows in frame.assign(_label=raw).groupby(group_column, sort=False):
        texts.append(normalise(str(rows[text_column].iloc[0])))
        label_sets.append(set(rows["_label"]))
    if len(set().union(*label_sets)) < 2:
        raise InputError(f"{path}: column '{label_column}' needs at least two different labels to learn from")
    return texts, label_sets
