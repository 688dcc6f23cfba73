"""The default analysis: language → clauses → normalisation → sentiment → touchpoint mentions.

A batch function on a pandas frame, so the same code can later run per partition on Dask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from carlzon.analysis.clauses import split_clauses
from carlzon.analysis.language import detect_language, normalise
from carlzon.analysis.sentiment import LexiconSentiment, emotion_for, label_for
from carlzon.analysis.touchpoints import TouchpointTagger
from carlzon.errors import AnalysisError
from carlzon.journeys.models import Journey

ProgressCallback = Callable[[int, int], None]

RESULT_COLUMNS = ["feedback_id", "language", "normalised", "sentiment", "label", "emotion"]
MENTION_COLUMNS = ["feedback_id", "touchpoint_id", "sentiment", "phrase", "emotion"]


@dataclass(frozen=True)
class AnalysisOutput:
    """One row per feedback (``results``) and one row per touchpoint mention (``mentions``)."""

    results: pd.DataFrame
    mentions: pd.DataFrame


def analyse_feedback(
    frame: pd.DataFrame,
    journey: Journey,
    *,
    on_progress: ProgressCallback | None = None,
    sentiment: LexiconSentiment | None = None,
) -> AnalysisOutput:
    """Analyse every row of ``frame`` (columns ``feedback_id`` and ``text``) against ``journey``."""
    missing = {"feedback_id", "text"} - set(frame.columns)
    if missing:
        raise AnalysisError(f"the feedback frame lacks column(s) {sorted(missing)}; pass feedback_id and text")
    scorer = sentiment or LexiconSentiment()
    tagger = TouchpointTagger(journey)
    results: list[tuple] = []
    mentions: list[tuple] = []
    total = len(frame)
    for done, (feedback_id, text) in enumerate(zip(frame["feedback_id"], frame["text"], strict=True), 1):
        text = "" if text is None else str(text)
        language = detect_language(text)
        lang = "zh" if language.startswith("zh") else "en"
        scores: list[float] = []
        by_touchpoint: dict[str, list[tuple[float, str]]] = {}
        previous: list[str] = []
        for clause in split_clauses(text):
            normalised_clause = normalise(clause)
            value = scorer.score(normalised_clause, lang)
            scores.append(value)
            # An untagged clause right after a tagged one usually finishes its opinion
            # ("等了四十分钟才上菜，太慢了"), so it counts for the same touchpoints.
            tagged = tagger.tag(normalised_clause) or previous
            for touchpoint_id in tagged:
                by_touchpoint.setdefault(touchpoint_id, []).append((value, clause))
            previous = tagged
        for touchpoint_id, parts in by_touchpoint.items():
            mean = round(sum(v for v, _ in parts) / len(parts), 4)
            joiner = "，" if lang == "zh" else ", "
            phrase = joiner.join(c for _, c in parts)
            mentions.append((feedback_id, touchpoint_id, mean, phrase, emotion_for(mean, phrase.lower())))
        overall = _overall(scores)
        normalised_text = normalise(text)
        results.append(
            (
                feedback_id,
                language,
                normalised_text,
                overall,
                label_for(overall),
                emotion_for(overall, normalised_text),
            )
        )
        if on_progress is not None and (done % 200 == 0 or done == total):
            on_progress(done, total)
    return AnalysisOutput(
        results=pd.DataFrame(results, columns=RESULT_COLUMNS),
        mentions=pd.DataFrame(mentions, columns=MENTION_COLUMNS),
    )


def _overall(scores: list[float]) -> float:
    """A text's score: the mean of its clauses, with the last clause counting double (end effect)."""
    if not scores:
        return 0.0
    weighted = [*scores, scores[-1]]
    return round(sum(weighted) / len(weighted), 4)
