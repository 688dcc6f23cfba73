"""Touchpoint-level sentiment measured on aspect-labelled reviews (`carlzon evaluate aspects`).

The journey map, the trough and the MOT ranking rest on how the customer felt *at each
touchpoint*, so this scores the analysis the way they use it: does the mention appear
(detection), and does its sentiment lean the right way (polarity)? Two dataset shapes:

- **wide** (ASAP's): one row per review, one column per aspect coded 1 positive, 0 neutral,
  -1 negative, -2 not mentioned; the label map maps columns to touchpoints.
- **long** (SemEval-2014's): one row per (text, aspect) with a polarity label
  (positive / negative / neutral / conflict); rows sharing the group column (or the text) are
  one text; the label map maps aspect names to touchpoints.

Several columns may map to one touchpoint (price level and value → price_value): the
touchpoint's gold polarity is then their common sign, and opposite signs are a conflict, left
out of polarity as SemEval's own conflict label is. A list target (``service: [service_attitude,
serving_time]``) is one group named by its first id: a mention of any of them detects it, and
their mean sentiment is the prediction.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from carlzon.analysis.language import LanguageAnalyzer
from carlzon.analysis.sentiment.analyzer import SentimentAnalyzer
from carlzon.analysis.sentiment.cues import label_for
from carlzon.analysis.sentiment.prior import prior_unseen_by
from carlzon.analysis.touchpoints.analyzer import TouchpointAnalyzer, mentions_of
from carlzon.analysis.touchpoints.tagger import TouchpointTagger
from carlzon.analysis.training.evaluate import precision_recall_f1 as _prf
from carlzon.analysis.training.labelled import read_frame, targets
from carlzon.analysis.training.train import fit_and_save
from carlzon.errors import InputError
from carlzon.journeys.models import Journey

FORMATS = ("wide", "long")
CONFLICT = "conflict"
_POLARITY = {
    "1": 1,
    "1.0": 1,
    "positive": 1,
    "pos": 1,
    "0": 0,
    "0.0": 0,
    "neutral": 0,
    "-1": -1,
    "-1.0": -1,
    "negative": -1,
    "neg": -1,
    "conflict": CONFLICT,
    "-2": None,
    "-2.0": None,
    "": None,
}


@dataclass(frozen=True)
class AspectData:
    """Texts and, per text, the gold polarity of each touchpoint group it mentions."""

    texts: list[str]
    gold: list[dict[str, int | str]]  # group -> 1 | 0 | -1 | "conflict"
    groups: dict[str, list[str]]  # group -> the touchpoint ids that count for it


def polarity_of(value: str, where: str) -> int | str | None:
    """A dataset's polarity code as 1 / 0 / -1 / "conflict", or None for "not mentioned"."""
    key = str(value).strip().lower()
    if key not in _POLARITY:
        raise InputError(
            f"{where}: {value!r} is not a polarity; use 1/0/-1/-2 (wide) or positive/negative/neutral/conflict (long)"
        )
    return _POLARITY[key]


def combined(values: Iterable[int | str]) -> int | str:
    """One touchpoint's gold from several columns: their common sign; opposite signs are a conflict."""
    seen = set(values)
    if CONFLICT in seen or {1, -1} <= seen:
        return CONFLICT
    return 1 if 1 in seen else -1 if -1 in seen else 0


def _groups(label_map: dict[str, Any], journey: Journey) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(dataset column or aspect -> group, group -> its touchpoint ids), checked against the journey."""
    known = {tp.id for tp in journey.touchpoints()}
    group_of: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for label, target in label_map.items():
        ids = targets(target)
        bad = [t for t in ids if t not in known]
        if bad:
            raise InputError(f"label map: {label!r} -> {bad} is not a touchpoint of journey '{journey.id}'")
        if ids:
            group_of[label] = ids[0]
            members.setdefault(ids[0], [])
            members[ids[0]] += [t for t in ids if t not in members[ids[0]]]
    if not members:
        raise InputError("the label map maps nothing to a touchpoint; map at least one column or aspect")
    return group_of, members


def read_aspects(
    data: Path,
    *,
    journey: Journey,
    label_map: dict[str, Any],
    data_format: str = "wide",
    text_column: str = "text",
    aspect_column: str = "aspect",
    label_column: str = "label",
    group_column: str | None = None,
) -> AspectData:
    """The labelled file as texts and gold touchpoint polarities (see the module docstring)."""
    if data_format not in FORMATS:
        raise InputError(f"--format must be wide or long, not {data_format!r}")
    group_of, members = _groups(label_map, journey)
    if data_format == "wide":
        frame = read_frame(data, [text_column, *group_of])
        texts, gold = [], []
        for number, row in enumerate(frame.itertuples(index=False), start=2):
            record = row._asdict()
            found: dict[str, list[int | str]] = {}
            for column, group in group_of.items():
                value = polarity_of(record[column], f"{data}: row {number}, column {column}")
                if value is not None:
                    found.setdefault(group, []).append(value)
            texts.append(str(record[text_column]))
            gold.append({group: combined(values) for group, values in found.items()})
        return AspectData(texts, gold, members)
    columns = [text_column, aspect_column, label_column, *([group_column] if group_column else [])]
    frame = read_frame(data, columns)
    unknown = sorted(set(frame[aspect_column]) - set(label_map) - {""})
    if unknown:
        raise InputError(f"the label map has no entry for aspect(s) {unknown}; map each to a touchpoint id or null")
    texts, gold = [], []
    for _, rows in frame.groupby(group_column or text_column, sort=False):
        found = {}
        for number, aspect, label in zip(rows.index, rows[aspect_column], rows[label_column], strict=True):
            value = polarity_of(label, f"{data}: row {number + 2}, column {label_column}")
            if aspect in group_of and value is not None:
                found.setdefault(group_of[aspect], []).append(value)
        texts.append(str(rows[text_column].iloc[0]))
        gold.append({group: combined(values) for group, values in found.items()})
    return AspectData(texts, gold, members)


def _scored(texts: list[str]) -> pd.DataFrame:
    """The texts through language and sentiment, the prior refitted without any corpus text that
    overlaps them (so no evaluation scores a prior on what it learnt from)."""
    batch = LanguageAnalyzer().transform(pd.DataFrame({"text": texts}))
    sentiment = SentimentAnalyzer(
        self_train=False, prior=prior_unseen_by(texts), english_prior=prior_unseen_by(texts, "en")
    )
    return sentiment.fit_transform(batch)


def analysed_mentions(texts: list[str], journey: Journey, model: Path | None = None) -> list[list[dict[str, Any]]]:
    """Each text's touchpoint mentions from the default analysis (zero-shot, or with an aspect model)."""
    analyzer = TouchpointAnalyzer(journey, aspect_model=model)
    return list(analyzer.fit_transform(_scored(texts))["mentions"])


POLARITY_NAMES = {1: "positive", 0: "neutral", -1: "negative"}


def training_examples(aspects: AspectData, journey: Journey) -> tuple[list[str], list[str]]:
    """(mention context, gold polarity) for every gold aspect the analysis finds a mention of:
    what `carlzon train aspects` teaches, in the form the analyzer asks the model about."""
    tagger = TouchpointTagger(journey)
    contexts_out, labels = [], []
    batch = _scored(aspects.texts)
    for gold, language, parts in zip(aspects.gold, batch["language"], batch["clauses"], strict=True):
        contexts: list[str] = []
        mentions = mentions_of(parts, tagger, str(language).startswith("zh"), contexts)
        by_touchpoint = dict(zip((m["touchpoint_id"] for m in mentions), contexts, strict=True))
        for group, truth in gold.items():
            found = [by_touchpoint[t] for t in aspects.groups[group] if t in by_touchpoint]
            if found and truth != CONFLICT:
                contexts_out.append(found[0])
                labels.append(POLARITY_NAMES[int(truth)])
    return contexts_out, labels


def train_aspects(
    data: Path,
    *,
    journey: Journey,
    label_map: dict[str, Any],
    out: Path,
    on_progress: Any = None,
    **reading: Any,
) -> dict[str, Any]:
    """`carlzon train aspects`: a polarity classifier over mention contexts, from aspect-labelled data
    (either format; ``reading``: read_aspects' options), its C chosen on a hold-out; ``analyze
    --aspect-model`` uses it."""
    aspects = read_aspects(data, journey=journey, label_map=label_map, **reading)
    contexts, labels = training_examples(aspects, journey)
    if len(set(labels)) < 2 or min(labels.count(label) for label in set(labels)) < 5:
        counts = {label: labels.count(label) for label in POLARITY_NAMES.values()}
        raise InputError(
            f"{data}: too few labelled aspects that the journey's terms find to learn from ({counts}); "
            "give at least 5 of two polarities, or check the label map"
        )
    return fit_and_save(
        "aspects", contexts, labels, data=data, out=out, label_map=label_map, journey=journey, on_progress=on_progress
    )


def evaluate_aspects(
    data: Path, *, journey: Journey, label_map: dict[str, Any], model: Path | None = None, **reading: Any
) -> dict[str, Any]:
    """The `carlzon evaluate aspects --json` shape: ``n``, ``detection_macro_f1``, ``polarity_accuracy``,
    ``neutral_f1``, ``per_touchpoint``, ``phrase_chars_median`` (and ``phrase_words_median``).
    ``reading``: read_aspects' options (data_format, text_column, aspect_column, label_column,
    group_column); ``model``: a file from `carlzon train aspects`."""
    aspects = read_aspects(data, journey=journey, label_map=label_map, **reading)
    return score_mentions(aspects, analysed_mentions(aspects.texts, journey, model))


def score_mentions(aspects: AspectData, mentions: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """Detection, polarity and neutral scores of predicted mentions against the gold aspects."""
    predicted = [_predicted(items, aspects.groups) for items in mentions]
    per_touchpoint: dict[str, dict[str, Any]] = {}
    right = polar = 0
    neutral_counts = [0, 0, 0]  # true positive, false positive, false negative of the neutral class
    for group in aspects.groups:
        tp = fp = fn = 0
        group_right = group_polar = 0
        for gold, guess in zip(aspects.gold, predicted, strict=True):
            truth, score = gold.get(group), guess.get(group)
            tp += truth is not None and score is not None
            fp += truth is None and score is not None
            fn += truth is not None and score is None
            if truth is None or score is None or truth == CONFLICT:
                continue
            if truth != 0:
                group_polar += 1
                group_right += (score > 0) if truth == 1 else (score < 0)
            said_neutral = label_for(score) == "neutral"
            neutral_counts[0] += truth == 0 and said_neutral
            neutral_counts[1] += truth != 0 and said_neutral
            neutral_counts[2] += truth == 0 and not said_neutral
        right, polar = right + group_right, polar + group_polar
        per_touchpoint[group] = {
            **_prf(tp, fp, fn),
            "support": tp + fn,
            "polar": group_polar,
            "polarity_accuracy": round(group_right / group_polar, 4) if group_polar else None,
        }
    supported = [scores["f1"] for scores in per_touchpoint.values() if scores["support"]]
    phrases = [m["phrase"] for items in mentions for m in items if _group(m["touchpoint_id"], aspects.groups)]
    return {
        "n": len(aspects.texts),
        "detection_macro_f1": round(sum(supported) / len(supported), 4) if supported else 0.0,
        "polarity_accuracy": round(right / polar, 4) if polar else 0.0,
        "neutral_f1": _prf(*neutral_counts)["f1"],
        "per_touchpoint": per_touchpoint,
        "phrase_chars_median": statistics.median(len(p.replace(" ", "")) for p in phrases) if phrases else 0,
        "phrase_words_median": statistics.median(len(p.split()) for p in phrases) if phrases else 0,
    }


def _group(touchpoint_id: str, groups: dict[str, list[str]]) -> list[str]:
    return [group for group, members in groups.items() if touchpoint_id in members]


def _predicted(mentions: list[dict[str, Any]], groups: dict[str, list[str]]) -> dict[str, float]:
    """Per group the text's mentions count for, their mean sentiment."""
    found: dict[str, list[float]] = {}
    for mention in mentions:
        for group in _group(mention["touchpoint_id"], groups):
            found.setdefault(group, []).append(float(mention["sentiment"]))
    return {group: sum(values) / len(values) for group, values in found.items()}
