"""The touchpoint analyzer: which touchpoints each text mentions, with the sentiment of its clauses there."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from carlzon.analysis.base import Analyzer
from carlzon.analysis.language import normalised_texts
from carlzon.analysis.points import point_from
from carlzon.analysis.sentiment.cues import emotion_for
from carlzon.analysis.touchpoints.tagger import TouchpointTagger
from carlzon.analysis.training.modelfiles import file_digest, load_touchpoint_classifier
from carlzon.errors import AnalysisError
from carlzon.journeys.models import Journey


class TouchpointAnalyzer(Analyzer):
    """Adds ``mentions``: [{touchpoint_id, sentiment, phrase, emotion, point}, …] from the journey's taxonomy.

    A clause with no touchpoint that follows one with a touchpoint finishes its opinion
    ("等了四十分钟才上菜，太慢了"), so it counts for the same touchpoints. With ``model`` (a file
    from `carlzon train touchpoints`), the touchpoints it predicts for a text that the taxonomy
    did not find are mentions too (only those it is sure of), carried by the text's most
    opinionated clause. ``point`` is the pain or delight point the phrase makes (points.py), kept
    with the mention so the report can count points in SQL.
    """

    name = "touchpoints"
    requires = ("text", "language", "clauses")
    produces = ("mentions",)

    def __init__(self, journey: Journey, model: Path | None = None) -> None:
        self.journey = journey
        self.model = model

    version = 3  # 2: mentions carry their point; 3: read from the clauses' opinion words

    def identity(self) -> dict[str, Any]:
        taxonomy = [(tp.id, tp.keywords.model_dump(mode="json")) for tp in self.journey.touchpoints()]
        return {
            "step": "touchpoints",
            "version": self.version,
            "taxonomy": hashlib.sha256(json.dumps(taxonomy, ensure_ascii=False).encode()).hexdigest(),
            "model": file_digest(self.model) if self.model is not None else None,
        }

    def fit(self, batch: pd.DataFrame) -> TouchpointAnalyzer:
        self.tagger_ = TouchpointTagger(self.journey)
        if self.model is None:
            self.classifier_ = None
        return self.prepare()

    def prepare(self) -> TouchpointAnalyzer:
        """Read the trained model file, once, checked against the journey (``classifier_``)."""
        if self.model is not None and getattr(self, "classifier_", None) is None:
            self.classifier_ = load_touchpoint_classifier(self.model, self.journey)
        return self

    def _predicted(self, batch: pd.DataFrame) -> list[set[str]]:
        """Per text, the touchpoints the trained model names (none without a model)."""
        if getattr(self, "classifier_", None) is None or not len(batch):
            return [set() for _ in range(len(batch))]
        return self.classifier_.confident(normalised_texts(batch))  # type: ignore[no-any-return]

    def transform(self, batch: pd.DataFrame) -> pd.DataFrame:
        tagger = getattr(self, "tagger_", None)
        if tagger is None:
            raise AnalysisError(
                "the touchpoint analyzer is not fitted: call fit() (or Pipeline.fit) before transform()"
            )
        out = []
        for language, parts, predicted in zip(batch["language"], batch["clauses"], self._predicted(batch), strict=True):
            chinese = str(language).startswith("zh")
            joiner, key_joiner = ("，", ",") if chinese else (", ", ", ")  # the key joiner: "，" normalised
            found: dict[str, list[tuple[float, str, str, tuple[str, ...]]]] = {}
            previous: list[str] = []
            for clause, value, key, words in parts:
                tagged = tagger.tag(key) or previous
                for touchpoint_id in tagged:
                    found.setdefault(touchpoint_id, []).append((value, clause, key, words))
                previous = tagged
            if parts:
                strongest = max(parts, key=lambda part: abs(part[1]))
                for touchpoint_id in sorted(predicted - set(found)):
                    found[touchpoint_id] = [(strongest[1], strongest[0], strongest[2], strongest[3])]
            mentions = []
            for touchpoint_id, items in found.items():
                mean = round(sum(item[0] for item in items) / len(items), 4)
                phrase = joiner.join(item[1] for item in items)
                words = list(dict.fromkeys(word for item in items for word in item[3]))
                mentions.append(
                    {
                        "touchpoint_id": touchpoint_id,
                        "sentiment": mean,
                        "phrase": phrase,
                        "emotion": emotion_for(mean, phrase.lower()),
                        "point": point_from(words, key_joiner.join(item[2] for item in items)),
                    }
                )
            out.append(mentions)
        return batch.assign(mentions=out)
