"""Pipeline([...analyzers]) and the default analysis built from the registered analyzers.

A batch function on a pandas frame, so the engine can run it locally or per partition on Dask.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from carlzon.analysis.base import Analyzer, State
from carlzon.analysis.severity import text_severity_ranks
from carlzon.errors import AnalysisError
from carlzon.journeys.models import Journey
from carlzon.plugins import analyzer_class

RESULT_COLUMNS = ["feedback_id", "language", "normalised", "sentiment", "label", "emotion"]
MENTION_COLUMNS = ["feedback_id", "touchpoint_id", "sentiment", "phrase", "emotion", "point"]


class Pipeline(Analyzer):
    """Analyzers applied in order; refuses anything that is not an Analyzer, or an impossible order."""

    name = "pipeline"

    def __init__(self, steps: Sequence[Analyzer]) -> None:
        self.steps = list(steps)
        for step in self.steps:
            if not isinstance(step, Analyzer):
                raise TypeError(f"pipeline steps must be Analyzer instances, got {type(step).__name__}")

    @property
    def produces(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(column for step in self.steps for column in step.produces)

    def check(self, columns: Sequence[str]) -> None:
        """Raise AnalysisError when a step needs a column that neither the input nor an earlier step has."""
        available = set(columns)
        for step in self.steps:
            missing = [c for c in step.requires if c not in available]
            if missing:
                raise AnalysisError(f"step {step!r} needs column(s) {missing}; put the step that makes them first")
            available |= set(step.produces)

    def prepare(self) -> Pipeline:
        """Every step reads its files (a wrong model file is said before any step runs)."""
        for step in self.steps:
            step.prepare()
        return self

    def fit(self, batch: pd.DataFrame) -> Pipeline:
        self.fit_transform(batch)
        return self

    def fit_transform(self, batch: pd.DataFrame) -> pd.DataFrame:
        """Fit each step on what the steps before it made of ``batch``; the batch as analysed."""
        self.check(list(batch.columns))
        self.prepare()
        for step in self.steps:
            batch = step.fit_transform(batch)
        return batch

    def transform(self, batch: pd.DataFrame) -> pd.DataFrame:
        self.check(list(batch.columns))
        for step in self.steps:
            batch = step.transform(batch)
        return batch

    def identity(self) -> dict[str, Any]:
        return {"steps": [step.identity() for step in self.steps]}

    def version(self) -> str:  # type: ignore[override]
        """The analysis version: a hash of every step's identity (its class, version, parameters and
        the content of the model files it reads). Results of another version are analysed again."""
        text = json.dumps(self.identity(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    @property
    def learns_from_batch(self) -> bool:  # type: ignore[override]
        return any(step.learns_from_batch for step in self.steps)

    def fitted_state(self) -> State | None:
        """Every step's learnt state, keyed ``"<step index>.<name>"``; None when a step cannot export its own."""
        states = [step.fitted_state() for step in self.steps]
        if any(state is None for state in states):
            return None
        return {f"{index}.{key}": value for index, state in enumerate(states) for key, value in (state or {}).items()}

    def restore_state(self, state: State, columns: Sequence[str] = ("feedback_id", "text")) -> Pipeline:
        """The pipeline as ``fitted_state`` left it: each step fitted on an empty batch, then given its state."""
        batch = pd.DataFrame({column: pd.Series(dtype=object) for column in columns})
        self.check(list(batch.columns))
        self.prepare()
        for index, step in enumerate(self.steps):
            batch = step.fit_transform(batch)
            prefix = f"{index}."
            step.restore_state({key[len(prefix) :]: value for key, value in state.items() if key.startswith(prefix)})
        return self


def default_pipeline(
    journey: Journey,
    *,
    workers: int = 1,
    touchpoint_model: Path | None = None,
    sentiment_model: Path | None = None,
    aspect_model: Path | None = None,
) -> Pipeline:
    """language → normalise → sentiment → touchpoints, each found through the analyzer registry.

    ``workers``: processes for the sentiment step's per-text stage on a large batch (keep 1 where
    the pipeline already runs in parallel, as on Dask). ``touchpoint_model``: a trained model
    whose predictions join the taxonomy's; ``sentiment_model``: a trained model that names each
    text's sentiment label; ``aspect_model``: a trained model of touchpoint mentions' polarity.
    """
    return Pipeline(
        [
            analyzer_class("language")(),
            analyzer_class("normalise")(),
            analyzer_class("sentiment")(workers=workers, model=sentiment_model),
            analyzer_class("touchpoints")(journey, model=touchpoint_model, aspect_model=aspect_model),
        ]
    )


@dataclass(frozen=True)
class AnalysisOutput:
    """One row per feedback (``results``) and one row per touchpoint mention (``mentions``)."""

    results: pd.DataFrame
    mentions: pd.DataFrame


def split_output(analysed: pd.DataFrame) -> AnalysisOutput:
    """The analysed frame as per-feedback results and exploded per-mention rows."""
    rows = [
        (feedback_id, m["touchpoint_id"], m["sentiment"], m["phrase"], m["emotion"], m.get("point", ""))
        for feedback_id, mentions in zip(analysed["feedback_id"], analysed["mentions"], strict=True)
        for m in mentions
    ]
    results = analysed[RESULT_COLUMNS].reset_index(drop=True)
    # Not a pipeline step (it does not change the analysis version): the text's part of severity,
    # stored so that rules need not read every text (analysis.severity).
    results["text_severity"] = text_severity_ranks(results["normalised"].tolist())
    return AnalysisOutput(
        results=results,
        mentions=pd.DataFrame(rows, columns=MENTION_COLUMNS),
    )
