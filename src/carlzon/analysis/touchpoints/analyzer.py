"""The touchpoint analyzer: which touchpoints each text mentions, with the sentiment of its clauses there."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from carlzon.analysis.base import Analyzer
from carlzon.analysis.clauses import clause_weights
from carlzon.analysis.language import normalised_texts
from carlzon.analysis.points import point_of
from carlzon.analysis.sentiment.cues import NEUTRAL_BAND, emotion_for
from carlzon.analysis.sentiment.selftrain import read_margins
from carlzon.analysis.touchpoints.implicit import implicit_targets
from carlzon.analysis.touchpoints.opinions import (
    LENGTH_CAP,
    SCALE,
    WORD_CAP,
    Piece,
    opinion_pieces,
    read_opinions,
    units_of,
)
from carlzon.analysis.touchpoints.tagger import TouchpointTagger
from carlzon.analysis.training.modelfiles import file_digest, load_aspect_classifier, load_touchpoint_classifier
from carlzon.errors import AnalysisError
from carlzon.journeys.models import Journey


class TouchpointAnalyzer(Analyzer):
    """Adds ``mentions``: [{touchpoint_id, sentiment, phrase, emotion, point}, …] from the journey's taxonomy.

    A clause with no touchpoint that follows one with a touchpoint finishes its opinion
    ("等了四十分钟才上菜，太慢了"), so it counts for the same touchpoints. With ``model`` (a file
    from `carlzon train touchpoints`), the touchpoints it predicts for a text that the taxonomy
    did not find are mentions too (only those it is sure of), carried by the text's most
    opinionated clause. ``point`` is the pain or delight point the phrase makes (points.py), kept
    with the mention so the report can count points in SQL. With ``aspect_model`` (a file from
    `carlzon train aspects`), each mention's context (its units) is read by that classifier too,
    and its verdict decides the mention's polarity (blend_aspect).
    """

    name = "touchpoints"
    requires = ("text", "language", "clauses")
    produces = ("mentions",)

    def __init__(self, journey: Journey, model: Path | None = None, aspect_model: Path | None = None) -> None:
        self.journey = journey
        self.model = model
        self.aspect_model = aspect_model

    version = 4  # 2: mentions carry their point; 3: read from the clauses' opinion words; 4: opinion-target pairing

    def identity(self) -> dict[str, Any]:
        taxonomy = [
            (tp.id, tp.keywords.model_dump(mode="json"), *([tp.channels] if tp.channels else []))
            for tp in self.journey.touchpoints()
        ]
        return {
            "step": "touchpoints",
            "version": self.version,
            "taxonomy": hashlib.sha256(json.dumps(taxonomy, ensure_ascii=False).encode()).hexdigest(),
            "model": file_digest(self.model) if self.model is not None else None,
            "aspect_model": file_digest(self.aspect_model) if self.aspect_model is not None else None,
        }

    def fit(self, batch: pd.DataFrame) -> TouchpointAnalyzer:
        self.tagger_ = TouchpointTagger(self.journey)
        self.contacts_ = contact_touchpoints(self.journey)
        if self.model is None:
            self.classifier_ = None
        if self.aspect_model is None:
            self.aspects_ = None
        return self.prepare()

    def prepare(self) -> TouchpointAnalyzer:
        """Read the trained model file, once, checked against the journey (``classifier_``)."""
        if self.model is not None and getattr(self, "classifier_", None) is None:
            self.classifier_ = load_touchpoint_classifier(self.model, self.journey)
        if self.aspect_model is not None and getattr(self, "aspects_", None) is None:
            self.aspects_ = load_aspect_classifier(self.aspect_model)
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
        contexts: list[str] | None = [] if getattr(self, "aspects_", None) is not None else None
        contacts = getattr(self, "contacts_", None) or contact_touchpoints(self.journey)
        channels = batch["channel"] if "channel" in batch.columns else [None] * len(batch)
        for text, language, parts, predicted, channel in zip(
            batch["text"], batch["language"], batch["clauses"], self._predicted(batch), channels, strict=True
        ):
            chinese = str(language).startswith("zh")
            mentions = mentions_of(parts, tagger, chinese, contexts, str(text))
            if parts:
                strongest = max(parts, key=lambda part: abs(part[1]))
                found = {mention["touchpoint_id"] for mention in mentions}
                for touchpoint_id in sorted((predicted | contacts.get(str(channel), set())) - found):
                    mentions.append(_mention(touchpoint_id, strongest[1], strongest[0], strongest[2]))
            out.append(mentions)
        if contexts:
            self._read_aspects([m for mentions in out for m in mentions if "context" in m], contexts)
        for mentions in out:
            for mention in mentions:
                mention.pop("context", None)
        return batch.assign(mentions=out)

    def _read_aspects(self, mentions: list[dict[str, Any]], contexts: list[str]) -> None:
        """The trained aspect model's verdict on each mention's context, blended into its sentiment."""
        classifier, classes = self.aspects_  # type: ignore[misc]
        labels, confidence = read_margins(classifier.decision_function(contexts), classes)
        for mention, label, sure in zip(mentions, labels, confidence.tolist(), strict=True):
            mention["sentiment"] = blend_aspect(float(mention["sentiment"]), label, sure)
            mention["emotion"] = emotion_for(mention["sentiment"], mention["phrase"].lower())


Clause = tuple[str, float, str, tuple[str, ...]]  # as written, score, normalised, opinion words


def contact_touchpoints(journey: Journey) -> dict[str, set[str]]:
    """Per channel, the touchpoints its feedback is a contact at (Touchpoint.channels): a call to
    the call centre is a customer-service contact even when the caller only speaks of the food."""
    contacts: dict[str, set[str]] = {}
    for touchpoint in journey.touchpoints():
        for channel in touchpoint.channels:
            contacts.setdefault(channel, set()).add(touchpoint.id)
    return contacts


def blend_aspect(lexicon: float, label: str, confidence: float) -> float:
    """A mention's sentiment when a trained aspect model has read it: the lexicon's where the pairing
    found an opinion word; where it found none, the model's verdict — half its confidence, kept on
    the side of its label (a neutral verdict inside the neutral band). Letting the model overrule
    an opinion word the pairing read lost more than it won (bench/RESULTS.md)."""
    if lexicon != 0:
        return lexicon
    score = confidence / 2
    if label == "neutral":
        return round(max(-NEUTRAL_BAND, min(NEUTRAL_BAND, score)), 4)
    side = 1.0 if label == "positive" else -1.0
    return round(score if score * side > NEUTRAL_BAND else side * (NEUTRAL_BAND + 0.05), 4)


def mention_context(touchpoint_id: str, units: list[str], pieces: list[Piece], chinese: bool) -> str:
    """What a trained aspect model reads of a mention: the touchpoint and the units that speak of it."""
    joiner = "，" if chinese else " | "
    return f"{touchpoint_id} {joiner.join(dict.fromkeys(units[piece.unit] for piece in pieces))}"


def mentions_of(
    parts: list[Clause],
    tagger: TouchpointTagger,
    chinese: bool,
    contexts: list[str] | None = None,
    text: str | None = None,
) -> list[dict[str, Any]]:
    """A text's touchpoint mentions from its clauses, each scored by the opinions paired with it;
    where several pieces judge one touchpoint, each weighs as its clause does in ``text``
    (clauses.clause_weights: "虽然服务员态度很好，但是服务很慢" blames the service, as the text's
    own feeling does). With ``contexts``, each mention's context (mention_context) is appended to
    it and the mention marked with a "context" key (removed once the aspect model has read it)."""
    items, where = [], []
    for index, (_, _, key, _) in enumerate(parts):
        for offset, unit in units_of(key, chinese):
            spans = tagger.spans(unit)
            if chinese:
                spans = implicit_targets(unit, items[-1][0] if items else "", spans, tagger)
            items.append((unit, spans))
            where.append((index, offset))
    units, pieces = opinion_pieces(items, chinese)
    mentions = []
    weights: list[float] | None = None
    for touchpoint_id, found in pieces.items():
        opinionated = [piece for piece in found if piece.opinions]
        if len(opinionated) > 1:  # most mentions have one: the clause weights are read only here
            if weights is None:
                weights = clause_weights(text, [part[0] for part in parts]) if text else [1.0] * len(parts)
            weighed = [_weight(piece, weights, where) for piece in opinionated]
            score = sum(w * piece.score for w, piece in zip(weighed, opinionated, strict=True)) / sum(weighed)
            chosen = max(zip(weighed, opinionated, strict=True), key=lambda pair: abs(pair[1].score) * pair[0])[1]
        elif opinionated:
            score, chosen = opinionated[0].score, opinionated[0]
        else:
            score = _clause_reading([parts[where[piece.unit][0]][1] for piece in found])
            if not chinese and not score and len(units) <= ONE_VERDICT_UNITS:
                score = _one_verdict(units)
            chosen = found[0]
        phrase, normalised = _phrase(_shown(found, chosen), chosen, parts, where, units, chinese)
        mentions.append(_mention(touchpoint_id, round(score, 4), phrase, normalised))
        if contexts is not None:
            contexts.append(mention_context(touchpoint_id, units, found, chinese))
            mentions[-1]["context"] = True
    return mentions


def _weight(piece: Piece, weights: list[float], where: list[tuple[int, int]]) -> float:
    """A piece's clause weight; a conclusion ("但是 …") weighs double only where it names the
    touchpoint: one that only finishes the unit before ("great price but do not go here on a cold
    day") is often about something else."""
    weight = weights[where[piece.unit][0]]
    return min(weight, 1.0) if piece.carried else weight


def _shown(found: list[Piece], chosen: Piece) -> list[Piece]:
    """The pieces a phrase shows: the chosen one, with the opinion unit that finishes it (or the
    unit it finishes): "排队等位一个多小时，太久了"."""
    following = [p for p in found if p.carried and p.unit == chosen.unit + 1]
    leading = [p for p in found if not p.carried and p.unit == chosen.unit - 1] if chosen.carried else []
    return [*leading[:1], chosen, *following[:1]]


def _phrase(
    shown: list[Piece],
    chosen: Piece,
    parts: list[Clause],
    where: list[tuple[int, int]],
    units: list[str],
    chinese: bool,
) -> tuple[str, str]:
    """The phrase as written and normalised; only the chosen piece when the pieces together run long."""
    written_parts, normalised_parts = [], []
    for piece in shown:
        clause, offset = where[piece.unit]
        written, _, key, _ = parts[clause]
        start, end = _phrase_span(units[piece.unit], piece, chinese)
        source = written if len(written) == len(key) else key  # offsets hold when normalising kept the length
        written_parts.append(source[offset + start : offset + end].strip(_EDGES))
        normalised_parts.append(key[offset + start : offset + end].strip(_EDGES))
    joiner = "，" if chinese else ", "
    phrase, normalised = joiner.join(filter(None, written_parts)), joiner.join(filter(None, normalised_parts))
    if len(shown) > 1 and not _short(normalised, chinese):
        return written_parts[shown.index(chosen)], normalised_parts[shown.index(chosen)]
    return phrase, normalised


# No opinion word found: the touchpoint is neutral unless the sentiment step read its clause
# strongly one way (an opinion the lexicon lacks: "装修很上档次啊", "叫了半天都不理"); then half that
# reading. A plain description reads weakly ("点了一份牛肉" 0.14) and stays neutral. 0.6 was chosen on
# ASAP between polarity and neutral F1 (bench/RESULTS.md); English clauses never reach it without
# a word VADER knows, so SemEval is unchanged by it.
CLAUSE_READING = 0.6
CLAUSE_SHARE = 0.5


# A short English text that judges only one way lends that verdict, halved, to what it lists without
# an opinion of its own ("It's just everything... the food, the atmosphere... the incredibly kind
# hostess"). Chinese reviews run too long for one verdict to hold (bench/RESULTS.md).
ONE_VERDICT_UNITS = 4


def _one_verdict(units: list[str]) -> float:
    weights = [opinion.weight for unit in units for opinion in read_opinions(unit, False)]
    if not weights or not (all(w > 0 for w in weights) or all(w < 0 for w in weights)):
        return 0.0
    return round(CLAUSE_SHARE * max(-1.0, min(1.0, sum(weights) / SCALE)), 4)


def _clause_reading(scores: list[float]) -> float:
    strong = [score for score in scores if abs(score) >= CLAUSE_READING]
    return round(CLAUSE_SHARE * sum(strong) / len(strong), 4) if strong else 0.0


_EDGES = " ,，.。!！?？;；:：~～"


def _short(text: str, chinese: bool) -> bool:
    return len(text) <= LENGTH_CAP if chinese else len(text.split()) <= WORD_CAP


def _phrase_span(unit: str, piece: Piece, chinese: bool) -> tuple[int, int]:
    """The phrase: the whole unit when it is short, else the span from the term to its opinion
    (or, with no opinion, a few characters around the term)."""
    if piece.alone and _short(unit, chinese):
        return 0, len(unit)
    if piece.opinions:
        return piece.start, piece.end
    reach = 6 if chinese else 24
    return max(0, piece.start - reach), min(len(unit), piece.end + reach)


def _mention(touchpoint_id: str, score: float, phrase: str, normalised: str) -> dict[str, Any]:
    return {
        "touchpoint_id": touchpoint_id,
        "sentiment": score,
        "phrase": phrase,
        "emotion": emotion_for(score, phrase.lower()),
        "point": point_of(normalised),
    }
