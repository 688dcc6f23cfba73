"""STC-3's nugget types read from a conversation's turns, zero-shot.

The customer's first turn states the problem (CNUG0); a later customer turn that says it is solved
is CNUG*, another substantial one CNUG; an agent turn that offers or acts and is followed by the
customer saying it is solved (or is the agent's last such turn) gives the solution (HNUG*), another
agent turn that explores, offers, acts or confirms is HNUG; short pleasantries are CNaN / HNaN.
"""

from __future__ import annotations

from carlzon.serviceqa.reading import TurnReading

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
