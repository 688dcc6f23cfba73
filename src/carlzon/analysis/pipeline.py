"""Pipeline([...analyzers]) and the default analysis built from the registered analyzers.

A batch function on a pandas frame, so the engine can run it locally or per partition on Dask.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from carlzon.analysis.base import Analyzer
from carlzon.errors import AnalysisError
from carlzon.journeys.models import Journey
from carlzon.plugins import analyzer_class

ProgressCallback = Callable[[int, int], None]
MAX_WORKERS = 8  # processes for a batch's per-text stage: beyond this, forking costs more than it saves

RESULT_COLUMNS = ["feedback_id", "language", "normalised", "sentiment", "label", "emotion"]
MENTION_COLUMNS = ["feedback_id", "touchpoint_id", "sentiment", "phrase", "emotion"]


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
        self.check(list(batch.columns))
        self.prepare()
        for step in self.steps:
            batch = step.fit(batch).transform(batch)
        return self

    def transform(self, batch: pd.DataFrame) -> pd.DataFrame:
        self.check(list(batch.columns))
        for step in self.steps:
            batch = step.transform(batch)
        return batch


def default_pipeline(
    journey: Journey,
    *,
    workers: int = 1,
    touchpoint_model: Path | None = None,
    sentiment_model: Path | None = None,
) -> Pipeline:
    """language → normalise → sentiment → touchpoints, each found through the analyzer registry.

    ``workers``: processes for the sentiment step's per-text stage on a large batch (keep 1 where
    the pipeline already runs in parallel, as on Dask). ``touchpoint_model``: a trained model
    whose predictions join the taxonomy's; ``sentiment_model``: a trained model that names each
    text's sentiment label.
    """
    return Pipeline(
        [
            analyzer_class("language")(),
            analyzer_class("normalise")(),
            analyzer_class("sentiment")(workers=workers, model=sentiment_model),
            analyzer_class("touchpoints")(journey, model=touchpoint_model),
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
        (feedback_id, m["touchpoint_id"], m["sentiment"], m["phrase"], m["emotion"])
        for feedback_id, mentions in zip(analysed["feedback_id"], analysed["mentions"], strict=True)
        for m in mentions
    ]
    return AnalysisOutput(
        results=analysed[RESULT_COLUMNS].reset_index(drop=True),
        mentions=pd.DataFrame(rows, columns=MENTION_COLUMNS),
    )


def analyse_feedback(
    frame: pd.DataFrame,
    journey: Journey,
    *,
    on_progress: ProgressCallback | None = None,
    pipeline: Pipeline | None = None,
    touchpoint_model: Path | None = None,
    sentiment_model: Path | None = None,
) -> AnalysisOutput:
    """Analyse every row of ``frame`` (columns ``feedback_id`` and ``text``) against ``journey``."""
    missing = {"feedback_id", "text"} - set(frame.columns)
    if missing:
        raise AnalysisError(f"the feedback frame lacks column(s) {sorted(missing)}; pass feedback_id and text")
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    pipeline = pipeline or default_pipeline(
        journey, workers=workers, touchpoint_model=touchpoint_model, sentiment_model=sentiment_model
    )
    batch = frame[["feedback_id", "text"]].assign(text=frame["text"].fillna("").astype(str))
    # Analyzers may learn from the batch itself (sentiment self-training), so the whole batch goes
    # through fit_transform step by step; progress moves one step at a time.
    pipeline.check(list(batch.columns))
    pipeline.prepare()  # a wrong model file is said before the analysis runs (minutes on a large store)
    total = len(batch)
    for index, step in enumerate(pipeline.steps, 1):
        batch = step.fit_transform(batch)
        if on_progress is not None:
            on_progress(total * index // len(pipeline.steps), total)
    return split_output(batch)
