"""The conversation score, 0–100, with its reasons in plain words.

Zero-shot and additive, so every point has a reason a coach can read: how the customer sounds at
the end (their last turn's sentiment, Carlzon's zero-shot reading) and throughout (the opinion
words of all their turns, a second reading independent of the sentiment model), whether they say
it is solved or come back unsolved, whether their last message was left unanswered, which EOAC
steps the agent took, and how they behaved. The weights are round numbers on one scale (the
second reading counts half the first; a missed courtesy three points), not fitted: `carlzon qa
train` is for teams with their own QA scores.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from carlzon.serviceqa.communication import SLOW_ANSWER, read_communication
from carlzon.serviceqa.models import STEPS, Conversation
from carlzon.serviceqa.reading import TurnReading, read_turn

BASE = 50.0
LAST_FEELING = 20.0  # points per unit of the customer's last-turn sentiment in [-1, 1]
CUSTOMER_WORDS = 10.0  # points per unit of the mean opinion reading of the customer's turns in [-1, 1]
UNANSWERED = -3.0  # the customer wrote last and not to say it is solved
SLOW = -3.0  # the customer waited SLOW_ANSWER or more for an answer (from the turns' times)
ASKED_AGAIN = -3.0  # the agent asked the same question again
NOT_IN_TRANSCRIPT = "not in a transcript"  # appearance, unless a store-audit column was mapped
SOLVED = 10.0
UNSOLVED = -5.0
OFFER_OR_ACT = 3.0
EXPLORE = 0.0  # asking is neither good nor bad on its own: it is what comes of it
CONFIRM = 3.0
CARE = 0.0  # apology or empathy: a reason to read, not points (apologies come where things went wrong)
BRUSH_OFF = -3.0
BLAME = -5.0
DEFLECTION_ONLY = 0.0


@dataclass(frozen=True)
class ConversationScore:
    """A conversation's score, the EOAC steps its agent took and missed, and why it scored so."""

    conversation_id: str
    score: float
    steps: list[str]
    missing: list[str]
    behaviours: list[str]
    reasons: list[str]
    customer_solved: bool
    communication: dict[str, Any] = field(default_factory=dict)  # communication.Communication
    appearance: str = NOT_IN_TRANSCRIPT

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def score_conversation(
    conversation: Conversation, last_customer_sentiment: float | None, *, appearance: str | None = None
) -> ConversationScore:
    """Score one conversation; ``last_customer_sentiment``: the sentiment of the customer's last turn
    (None: the customer never spoke); ``appearance``: a store audit's finding, when one was mapped."""
    readings = [read_turn(turn) for turn in conversation.turns]
    return score_readings(conversation.id, readings, last_customer_sentiment, appearance=appearance)


def score_readings(
    conversation_id: str,
    readings: list[TurnReading],
    last_customer_sentiment: float | None,
    *,
    appearance: str | None = None,
) -> ConversationScore:
    agent = [r for r in readings if r.role == "agent"]
    steps = {step for r in agent for step in r.steps}
    behaviours = {b for r in agent for b in r.behaviours}
    after = _customer_after_agent(readings)
    solved = bool(after) and after[-1].solved and not after[-1].unsolved
    unsolved = any(r.unsolved for r in after) and not solved
    score, reasons = BASE, []
    if last_customer_sentiment is not None:
        score += LAST_FEELING * last_customer_sentiment
        if last_customer_sentiment < -0.2:
            reasons.append("the customer's last words are negative")
    said = [r for r in readings if r.role == "customer"]
    if said:
        score += CUSTOMER_WORDS * sum(r.opinion for r in said) / len(said)
    if readings and readings[-1].role == "customer" and not readings[-1].solved:
        score += UNANSWERED
        reasons.append("the customer's last message went unanswered")
    if solved:
        score += SOLVED
        reasons.append("the customer says it is solved")
    if unsolved:
        score += UNSOLVED
        reasons.append("the customer came back: not solved")
    if not agent:
        reasons.append("no agent answered")
    elif {"offer", "act"} & steps:
        score += OFFER_OR_ACT
    else:
        reasons.append("offered nothing and did nothing")
    if "explore" in steps:
        score += EXPLORE
    if "confirm" in steps:
        score += CONFIRM
    elif agent and not solved:
        reasons.append("never confirmed the customer was satisfied")
    if {"apology", "empathy"} & behaviours:
        score += CARE
    if "brush_off" in behaviours and not {"offer", "act"} & steps:
        score += BRUSH_OFF
        reasons.append("a brush-off: acknowledged and promised nothing")
    communication = read_communication(readings)
    if communication.longest_wait is not None and communication.longest_wait >= SLOW_ANSWER:
        score += SLOW
        reasons.append("the customer waited 10 minutes or more for an answer")
    if communication.repeated_questions:
        score += ASKED_AGAIN
        reasons.append("asked the customer the same question again")
    if communication.jargon:
        reasons.append("used in-house words the customer may not know")
    if "blame" in behaviours:
        score += BLAME
        reasons.append("blamed the customer")
    if "deflection" in behaviours and not {"offer", "act"} & steps:
        score += DEFLECTION_ONLY
        reasons.append("sent the customer elsewhere")
    return ConversationScore(
        conversation_id=conversation_id,
        score=round(max(0.0, min(100.0, score)), 1),
        steps=[s for s in STEPS if s in steps],
        missing=[s for s in STEPS if s not in steps],
        behaviours=sorted(behaviours),
        reasons=reasons,
        customer_solved=solved,
        communication=communication.to_dict(),
        appearance=appearance or NOT_IN_TRANSCRIPT,
    )


def _customer_after_agent(readings: list[TurnReading]) -> list[TurnReading]:
    """The customer's turns after the agent's first."""
    first = next((i for i, r in enumerate(readings) if r.role == "agent"), None)
    return [] if first is None else [r for r in readings[first + 1 :] if r.role == "customer"]
