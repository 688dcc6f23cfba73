"""`carlzon qa evaluate`: the conversation score against annotators' judgements, and the per-turn
nugget types, on customer–helpdesk dialogues such as NTCIR STC-3's.

Nuggets from the reading: the customer's first turn states the problem (CNUG0); a later customer
turn that says it is solved is CNUG*, another substantial one CNUG; an agent turn that offers or
acts and is followed by the customer saying it is solved (or is the agent's last such turn) gives
the solution (HNUG*), another agent turn that explores, offers, acts or confirms is HNUG; short
pleasantries are CNaN / HNaN.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from carlzon.errors import InputError
from carlzon.serviceqa.feelings import MEASURES, last_customer_sentiments
from carlzon.serviceqa.files import load_conversations
from carlzon.serviceqa.models import Conversation
from carlzon.serviceqa.reading import TurnReading, read_turn
from carlzon.serviceqa.scoring import score_readings

NUGGETS = ("CNUG0", "CNUG", "CNUG*", "CNaN", "HNUG", "HNUG*", "HNaN")
SHORT = 6  # characters (normalised) under which a turn carries no nugget


def predicted_nuggets(readings: list[TurnReading]) -> list[str]:
    """Each turn's nugget type from its reading (the module docstring)."""
    out = []
    solving = [i for i, r in enumerate(readings) if r.role == "agent" and {"offer", "act"} & r.steps]
    solver = None
    for i in solving:
        following = next((r for r in readings[i + 1 :] if r.role == "customer"), None)
        if following is not None and following.solved and not following.unsolved:
            solver = i
    if solver is None and solving:
        solver = solving[-1]
    for index, reading in enumerate(readings):
        short = reading.length < SHORT
        if reading.role == "customer":
            if index == 0:
                out.append("CNaN" if short else "CNUG0")
            elif reading.solved and not reading.unsolved:
                out.append("CNUG*")
            else:
                out.append("CNaN" if short else "CNUG")
        elif index == solver:
            out.append("HNUG*")
        else:
            out.append("HNUG" if reading.steps and not short else "HNaN")
    return out


def evaluate_conversations(data: Path, model: Path | None = None) -> dict[str, Any]:
    """`carlzon qa evaluate --json`: ``n``, ``spearman`` {A, S, E}, ``nugget_macro_f1``, ``per_nugget``."""
    from scipy.stats import spearmanr
    from sklearn.metrics import f1_score

    conversations = load_conversations(data)
    judged = [c for c in conversations if isinstance(c.extra.get("quality_mean"), dict)]
    if not judged:
        raise InputError(f"{data}: no conversation has quality_mean scores (A, S, E) to compare with")
    trained = _trained_predictions(model, judged) if model is not None else None
    feelings = last_customer_sentiments(judged)
    scores, truth, guess = [], [], []
    for conversation, feeling in zip(judged, feelings, strict=True):
        readings = [read_turn(turn) for turn in conversation.turns]
        scores.append(score_readings(conversation.id, readings, feeling).score)
        gold = [turn.get("nugget_majority") for turn in conversation.extra["turns"]]
        if all(isinstance(label, str) for label in gold):
            truth += gold
            guess += predicted_nuggets(readings)
    spearman = {
        measure: round(
            float(
                spearmanr(
                    trained[measure] if trained and measure in trained else scores,
                    [c.extra["quality_mean"][measure] for c in judged],
                ).statistic
            ),
            4,
        )
        for measure in MEASURES
    }
    labels = [n for n in NUGGETS if n in truth]
    per = f1_score(truth, guess, labels=labels, average=None, zero_division=0) if truth else []
    return {
        "n": len(judged),
        "spearman": spearman,
        "nugget_macro_f1": round(float(sum(per) / len(per)), 4) if len(per) else 0.0,
        "per_nugget": {label: round(float(f), 4) for label, f in zip(labels, per, strict=True)},
    }


def _trained_predictions(model: Path, conversations: list[Conversation]) -> dict[str, Any]:
    """A `carlzon qa train` model's prediction of each measure it learnt."""
    from carlzon.serviceqa.training import QAModel

    loaded, _ = QAModel.load(model)
    return {name: values.tolist() for name, values in loaded.predict(conversations).items()}
