"""Coaching: which EOAC step each team and agent takes, against the whole, and where to look first.

What `carlzon qa report` prints and the HTML report's coaching section draws, from the same
``Coaching`` result: step completion rates per team and agent beside everyone's, the step most
often missed with example turns (already redacted at import), the weekly score trend, and the
conversations that most need a second look.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from statistics import fmean, median
from typing import Any

from carlzon.serviceqa.communication import SLOW_ANSWER
from carlzon.serviceqa.models import BEHAVIOURS, STEPS, StoredConversation
from carlzon.storage.store import Store

EXAMPLES = 3
SECOND_LOOK = 10


@dataclass(frozen=True)
class StepRates:
    """How a group of conversations went: how many, their mean score, and the share of them in
    which the agent took each EOAC step."""

    name: str
    n: int
    mean_score: float
    rates: dict[str, float]
    most_missed: str | None


@dataclass(frozen=True)
class Example:
    """A conversation that missed the step: how it ended, in the agent's and the customer's last words."""

    conversation_id: str
    agent: str | None
    team: str | None
    score: float
    agent_said: str
    customer_said: str


@dataclass(frozen=True)
class SecondLook:
    conversation_id: str
    agent: str | None
    team: str | None
    started_at: str | None
    score: float
    reasons: list[str]


@dataclass(frozen=True)
class Coaching:
    """The coaching report of the conversations in scope (an agent, a team, or all), since a date."""

    scope: str
    since: str | None
    whole: StepRates
    scoped: StepRates
    teams: list[StepRates]
    agents: list[StepRates]
    most_missed: str | None
    examples: list[Example]
    trend: list[dict[str, Any]]
    second_look: list[SecondLook]
    abc: dict[str, Any] = field(default_factory=dict)  # appearance, behaviour and communication of the scope

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def coaching(
    *, store: Store, agent: str | None = None, team: str | None = None, since: datetime | None = None
) -> Coaching:
    """The coaching report; ``agent`` or ``team`` narrows what is shown, the whole stays everyone's."""
    everyone = store.conversations(since=since)
    scoped = [c for c in everyone if (agent is None or c.agent == agent) and (team is None or c.team == team)]
    scope = f"agent {agent}" if agent else f"team {team}" if team else "all"
    whole = step_rates("everyone", everyone)
    mine = step_rates(scope, scoped)
    missed = mine.most_missed
    return Coaching(
        scope=scope,
        since=since.isoformat() if since else None,
        whole=whole,
        scoped=mine,
        teams=_groups(scoped, lambda c: c.team),
        agents=_groups(scoped, lambda c: c.agent),
        most_missed=missed,
        examples=_examples(scoped, missed),
        trend=_weekly(scoped),
        second_look=[
            SecondLook(
                c.external_id,
                c.agent,
                c.team,
                c.started_at.isoformat() if c.started_at else None,
                c.score,
                list(c.reasons),
            )
            for c in sorted(scoped, key=lambda c: c.score)[:SECOND_LOOK]
        ],
        abc=abc_summary(scoped),
    )


def abc_summary(conversations: list[StoredConversation]) -> dict[str, Any]:
    """ABC of a group: appearance (audited, or not in a transcript), the share of conversations
    showing each behaviour, and communication — slow answers and the median wait where the export
    had times, questions asked again, in-house words."""
    n = len(conversations) or 1
    timed = [c.communication for c in conversations if c.communication.get("longest_wait") is not None]
    audited = [c.appearance for c in conversations if c.appearance]
    return {
        "appearance": {"audited": len(audited), "said": "not in a transcript" if not audited else None},
        "behaviour": {b: round(sum(b in c.behaviours for c in conversations) / n, 4) for b in BEHAVIOURS},
        "communication": {
            "timed": len(timed),
            "slow_answer_share": round(sum(t["longest_wait"] >= SLOW_ANSWER for t in timed) / len(timed), 4)
            if timed
            else None,
            "median_wait_seconds": round(median(t["median_wait"] for t in timed), 1) if timed else None,
            "asked_again_share": round(
                sum(bool(c.communication.get("repeated_questions")) for c in conversations) / n, 4
            ),
            "jargon_share": round(sum(bool(c.communication.get("jargon")) for c in conversations) / n, 4),
        },
    }


def step_rates(name: str, conversations: list[StoredConversation]) -> StepRates:
    n = len(conversations)
    rates = {step: (sum(step in c.steps for c in conversations) / n if n else 0.0) for step in STEPS}
    missed = min(STEPS, key=lambda step: rates[step]) if n else None
    if missed is not None and rates[missed] == 1.0:
        missed = None  # every step taken every time: nothing is missed
    return StepRates(name, n, round(fmean(c.score for c in conversations), 1) if n else 0.0, rates, missed)


def _groups(conversations: list[StoredConversation], key: Any) -> list[StepRates]:
    """One StepRates per named team or agent, the lowest mean score first (who to coach first)."""
    grouped: dict[str, list[StoredConversation]] = defaultdict(list)
    for conversation in conversations:
        name = key(conversation)
        if name:
            grouped[name].append(conversation)
    return sorted((step_rates(name, group) for name, group in grouped.items()), key=lambda r: (r.mean_score, r.name))


def _examples(conversations: list[StoredConversation], step: str | None) -> list[Example]:
    """The lowest-scoring conversations that missed ``step``, each by how it ended."""
    if step is None:
        return []
    out = []
    for c in sorted((c for c in conversations if step in c.missing), key=lambda c: c.score)[:EXAMPLES]:
        agent_said = next((t.text for t in reversed(c.turns) if t.role == "agent"), "")
        customer_said = next((t.text for t in reversed(c.turns) if t.role == "customer"), "")
        out.append(Example(c.external_id, c.agent, c.team, c.score, agent_said, customer_said))
    return out


def _weekly(conversations: list[StoredConversation]) -> list[dict[str, Any]]:
    """Mean score per ISO week (Monday's date), of conversations with a start time."""
    weeks: dict[str, list[float]] = defaultdict(list)
    for c in conversations:
        if c.started_at is not None:
            year, week, _ = c.started_at.isocalendar()
            monday = datetime.fromisocalendar(year, week, 1).date().isoformat()
            weeks[monday].append(c.score)
    return [
        {"week": week, "n": len(scores), "mean_score": round(fmean(scores), 1)}
        for week, scores in sorted(weeks.items())
    ]
