"""Labelled feedback for training and evaluation: read a CSV, map its labels, group multi-label rows.

A label map (YAML) says what each dataset label means in Carlzon's terms — one touchpoint id, a
list of ids (the first names the group the others count as), or null (the row is left out) —
so a public dataset (airline "negativereason", SemEval aspect categories) can train and measure
touchpoint models. Rows sharing a group column are one text with several labels.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from carlzon.analysis.language import normalise
from carlzon.errors import InputError
from carlzon.ingest.readers import SUFFIXES, decodes, detect_encoding
from carlzon.yamlfile import read_yaml


def read_frame(path: Path, columns: list[str]) -> pd.DataFrame:
    """The labelled file as strings; errors name the file (and line) and the missing column.

    The formats and encodings `carlzon import` reads: CSV or TSV in UTF-8, GB18030/GBK or Big5
    (detected the same way: a labelled export from a Chinese spreadsheet is often GBK), Excel
    .xlsx, JSON Lines or a JSON array; any other file name is read as CSV.
    """
    if not path.is_file():
        problem = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise InputError(f"labelled data {path} {problem}")
    frame = _read_table(path)
    for column in columns:
        if column not in frame.columns:
            raise InputError(f"{path}: no column '{column}'; its columns are: {', '.join(frame.columns)}")
    return frame


def _read_table(path: Path) -> pd.DataFrame:
    fmt = SUFFIXES.get(path.suffix.lower(), "csv")
    try:
        if fmt == "xlsx":
            return pd.read_excel(path, dtype=str, keep_default_na=False)
        if fmt in ("jsonl", "json"):
            return pd.read_json(path, lines=fmt == "jsonl", dtype=False).fillna("").astype(str)
        return _read_delimited(path, "\t" if fmt == "tsv" else ",")
    except pd.errors.EmptyDataError as exc:
        raise InputError(f"{path} is empty; its first row must name the columns") from exc
    except pd.errors.ParserError as exc:
        raise InputError(f"{path} is not a readable {fmt.upper()} file: {exc}".rstrip()) from exc
    except (ValueError, zipfile.BadZipFile) as exc:  # pandas' and openpyxl's word for a file of another format
        raise InputError(f"{path} is not a readable {fmt.upper()} file ({exc}); check its format and name") from exc


def _read_delimited(path: Path, sep: str) -> pd.DataFrame:
    """CSV or TSV in the encoding imports would detect; undecodable bytes and a row wider than
    the header are errors that say where."""
    encoding = detect_encoding(path)
    try:
        with warnings.catch_warnings():
            # A first row with more fields than the header would silently become the index
            # (or, with index_col=False, lose its last field): make pandas' warning an error.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding, sep=sep, index_col=False)
    except pd.errors.ParserWarning as exc:
        separator = "tab" if sep == "\t" else "comma"
        raise InputError(
            f"{path}: a row has more fields than the header has columns; quote texts that hold a {separator}"
        ) from exc
    except UnicodeDecodeError as exc:
        with path.open("rb") as handle:  # a line, not a CSV row: a quoted text may span lines
            line = next((n for n, raw in enumerate(handle, start=1) if not decodes(raw, encoding)), 1)
        raise InputError(
            f"{path}, line {line}: bytes that are not {encoding} text; fix that line or save the file as UTF-8"
        ) from exc


def load_label_map(path: Path) -> dict[str, Any]:
    """A label map from YAML: dataset label -> touchpoint id, list of ids, or null."""
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
