"""Communication, the C of ABC, as a transcript shows it: how long the customer waited for each
answer (from the turns' times, when the export has them), questions the agent asked again, and
in-house words used as if the customer knew them. Appearance, the A, is not in a transcript: it
is said so, or read from a store-audit column when one is mapped (intake.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from statistics import median
from typing import Any

from carlzon.serviceqa.reading import TurnReading

SLOW_ANSWER = 600.0  # seconds: ten minutes without an answer is a wait the customer remembers
SAME_QUESTION = 0.8  # character-bigram overlap (Jaccard) of two agent questions that ask the same


@dataclass(frozen=True)
class Communication:
    """What the transcript says of how the agent communicated."""

    longest_wait: float | None  # seconds from a customer's turn to the agent's next, the longest
    median_wait: float | None
    repeated_questions: int
    jargon: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "jargon": list(self.jargon)}


def read_communication(readings: list[TurnReading]) -> Communication:
    waits = _waits(readings)
    questions = [r.text for r in readings if r.role == "agent" and r.question and r.text]
    repeated = sum(
        any(_overlap(question, earlier) >= SAME_QUESTION for earlier in questions[:index])
        for index, question in enumerate(questions)
    )
    jargon = tuple(dict.fromkeys(word for r in readings for word in r.jargon))
    return Communication(max(waits) if waits else None, median(waits) if waits else None, repeated, jargon)


def _waits(readings: list[TurnReading]) -> list[float]:
    """Seconds from each customer turn that opens a wait to the agent's next turn."""
    out, waiting_since = [], None
    for r in readings:
        if r.at is None:
            continue
        if r.role == "customer" and waiting_since is None:
            waiting_since = r.at
        elif r.role == "agent" and waiting_since is not None:
            out.append(max(0.0, r.at - waiting_since))
            waiting_since = None
    return out


def _overlap(a: str, b: str) -> float:
    pairs_a, pairs_b = _bigrams(a), _bigrams(b)
    return len(pairs_a & pairs_b) / len(pairs_a | pairs_b) if pairs_a and pairs_b else 0.0


def _bigrams(text: str) -> set[str]:
    compact = "".join(text.split())
    return {compact[i : i + 2] for i in range(len(compact) - 1)}
