"""`carlzon qa evaluate`: the conversation score against annotators' judgements, and the per-turn
nugget types, on customer–helpdesk dialogues such as NTCIR STC-3's.

Nuggets: zero-shot from the reading (nuggets.py), or a trained model's (training.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from carlzon.errors import InputError
from carlzon.serviceqa.feelings import MEASURES, last_customer_sentiments
from carlzon.serviceqa.files import load_conversations
from carlzon.serviceqa.models import Conversation
from carlzon.serviceqa.nuggets import NUGGETS, predicted_nuggets
from carlzon.serviceqa.reading import read_turn
from carlzon.serviceqa.scoring import score_readings


def evaluate_conversations(data: Path, model: Path | None = None) -> dict[str, Any]:
    """`carlzon qa evaluate --json`: ``n``, ``spearman`` {A, S, E}, ``nugget_macro_f1``, ``per_nugget``."""
    from scipy.stats import spearmanr
    from sklearn.metrics import f1_score

    conversations = load_conversations(data)
    judged = [c for c in conversations if isinstance(c.extra.get("quality_mean"), dict)]
    if not judged:
        raise InputError(f"{data}: no conversation has quality_mean scores (A, S, E) to compare with")
    feelings = last_customer_sentiments(judged)
    trained, trained_nuggets = _trained(model, judged, feelings) if model is not None else (None, None)
    scores, truth, guess = [], [], []
    for conversation, feeling in zip(judged, feelings, strict=True):
        readings = [read_turn(turn) for turn in conversation.turns]
        scores.append(score_readings(conversation.id, readings, feeling).score)
        gold = [turn.get("nugget_majority") for turn in conversation.extra["turns"]]
        if all(isinstance(label, str) for label in gold):
            truth += gold
            guess += [next(trained_nuggets) for _ in readings] if trained_nuggets else predicted_nuggets(readings)
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


def _trained(model: Path, conversations: list[Conversation], feelings: list[float | None]) -> tuple[Any, Any]:
    """A `carlzon qa train` model's predictions of each measure it learnt, and of the nuggets (an
    iterator over the turns, or None when it learnt none), from the sentiments already read."""
    from carlzon.serviceqa.training import Dialogues, QAModel

    loaded = QAModel.load(model)[0]
    dialogues = Dialogues.of(conversations, feelings)
    measures = {name: values.tolist() for name, values in loaded.predict(dialogues).items()}
    return measures, iter(loaded.nuggets.predict(dialogues)) if loaded.nuggets else None
