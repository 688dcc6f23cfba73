"""Run the default analysis over everything stored, for one journey, and store the result."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from carlzon.analysis.pipeline import ProgressCallback, analyse_feedback
from carlzon.errors import AnalysisError
from carlzon.storage.store import Store


@dataclass(frozen=True)
class AnalysisSummary:
    """What an analysis run did."""

    journey_id: str
    records: int
    mentions: int
    untagged: int


def analyse_journey(
    *,
    store: Store,
    journey_id: str,
    on_progress: ProgressCallback | None = None,
    touchpoint_model: Path | None = None,
    sentiment_model: Path | None = None,
) -> AnalysisSummary:
    """Analyse all stored feedback against ``journey_id`` and replace its stored analysis.

    ``touchpoint_model``: a model from `carlzon train touchpoints` whose predictions join the taxonomy's;
    ``sentiment_model``: one from `carlzon train sentiment` that names each text's sentiment.
    """
    journey = store.get_journey(journey_id)
    frame = store.feedback_frame()
    if frame.empty:
        raise AnalysisError("there is no feedback to analyse; import some first (or run: carlzon demo)")
    output = analyse_feedback(
        frame, journey, on_progress=on_progress, touchpoint_model=touchpoint_model, sentiment_model=sentiment_model
    )
    store.save_analysis(journey_id, output.results, output.mentions)
    tagged = output.mentions["feedback_id"].nunique() if len(output.mentions) else 0
    return AnalysisSummary(journey_id, len(output.results), len(output.mentions), len(output.results) - tagged)
