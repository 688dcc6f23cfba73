"""Reading one turn: which EOAC steps an agent turn performs, how it behaves, and whether a customer
turn says the problem is solved or not.

Cue words (cues.py) on normalised text. Two decisions keep the reading honest: a turn that only
acknowledges ("您反映的情况我们已记录，请耐心等待") is a brush-off, not an action — vague promises
("尽快", "稍后") count as acting only beside a concrete one; and a question from the agent is
exploring, whatever else it says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from carlzon.analysis.language import normalise
from carlzon.analysis.touchpoints.opinions import text_opinion
from carlzon.serviceqa import cues
from carlzon.serviceqa.models import Turn

_HAN = re.compile(r"[\u4e00-\u9fff]")
_QUESTION = re.compile(r"[?？]|吗[。！!，,\s]*$|呢[。！!，,\s]*$")
# Promises without a deed: acting only beside a concrete one ("已为您办理", "processed", "within 3 days").
VAGUE_ACTS = frozenset(
    (
        *("马上", "立即", "尽快", "稍后", "我们会尽快", "we will", "we'll", "will be"),
        *("we have", "we've", "i have", "i've", "has been", "have been"),
    )
)


@dataclass(frozen=True)
class TurnReading:
    """What one turn does: EOAC steps and ABC behaviours (agent), solved / unsolved (customer)."""

    role: str
    steps: frozenset[str]
    behaviours: frozenset[str]
    solved: bool
    unsolved: bool
    question: bool
    chinese: bool
    length: int
    opinion: float = 0.0  # a customer turn's opinion words, in [-1, 1] (analysis.touchpoints.opinions)
    at: float | None = None  # seconds since the conversation began, when the export has times
    text: str = ""  # normalised: what communication.py compares (a question asked again)
    jargon: tuple[str, ...] = ()  # an agent's in-house words the customer may not know


@cache
def _pattern(words: tuple[str, ...], chinese: bool) -> re.Pattern[str]:
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(f"(?:{alternation})" if chinese else rf"(?<![a-z])(?:{alternation})(?![a-z])")


def _found(text: str, table: dict[str, tuple[str, ...]], chinese: bool) -> list[str]:
    return _pattern(table["zh" if chinese else "en"], chinese).findall(text)


def read_turn(turn: Turn) -> TurnReading:
    """The steps, behaviours and customer signals of one turn."""
    text = normalise(turn.text)
    chinese = bool(_HAN.search(text))
    question = bool(_QUESTION.search(text))
    if turn.role == "customer":
        solved = bool(_found(text, cues.SOLVED, chinese))
        unsolved = bool(_found(text, cues.UNSOLVED, chinese))
        return TurnReading(
            "customer",
            frozenset(),
            frozenset(),
            solved,
            unsolved,
            question,
            chinese,
            len(text),
            text_opinion(text),
            turn.at,
            text,
        )
    steps: set[str] = set()
    if question or _found(text, cues.EXPLORE, chinese):
        steps.add("explore")
    if _found(text, cues.OFFER, chinese):
        steps.add("offer")
    acts = _found(text, cues.ACT, chinese)
    concrete = [act for act in acts if act not in VAGUE_ACTS]
    if concrete:
        steps.add("act")
    if _found(text, cues.CONFIRM, chinese):
        steps.add("confirm")
    behaviours = {
        name
        for name, table in (
            ("apology", cues.APOLOGY),
            ("empathy", cues.EMPATHY),
            ("ownership", cues.OWNERSHIP),
            ("politeness", cues.POLITENESS),
            ("blame", cues.BLAME),
            ("deflection", cues.DEFLECTION),
        )
        if _found(text, table, chinese)
    }
    if _found(text, cues.BRUSH_OFF, chinese) and not concrete and "offer" not in steps:
        behaviours.add("brush_off")  # acknowledged, nothing done, nothing offered
    jargon = tuple(dict.fromkeys(_found(text, cues.JARGON, chinese)))
    return TurnReading(
        "agent",
        frozenset(steps),
        frozenset(behaviours),
        False,
        False,
        question,
        chinese,
        len(text),
        0.0,
        turn.at,
        text,
        jargon,
    )
