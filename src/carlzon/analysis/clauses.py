"""Split feedback into clauses, the unit that carries one opinion about one thing.

Why clauses: "菜很好吃，但是上菜太慢" praises one touchpoint and blames another; scoring the
whole text would blur both. Why weights: after a contrast ("但是", "不过", "but", "however")
comes what the customer concluded, and a concession ("虽然", "although") is what they set
aside, so the text's overall feeling leans on the first and discounts the second.
"""

from __future__ import annotations

import re

_CONTRAST = re.compile(r"(\s+but\s+|\s+however,?\s+|但是|不过|可是|然而|(?<![不非])但)", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[，,。．.！!？?；;：:\n、~～]+")
_SENTENCE_END = re.compile(r"[。．.！!？?\n]")
_CONCESSIVE = re.compile(r"^(?:虽然|虽说|尽管|虽|although\b|though\b|even though\b|while\b)", re.IGNORECASE)

AFTER_CONTRAST = 2.0
CONCESSION = 0.5


def weighted_clauses(text: str) -> list[tuple[str, float]]:
    """Non-empty clauses of ``text`` in order, with the weight each carries in the text's overall feeling."""
    out: list[tuple[str, float]] = []
    after_contrast = False
    for index, segment in enumerate(_CONTRAST.split(text)):
        if index % 2:  # a contrast marker: what follows, to the end of its sentence, is the conclusion
            after_contrast = True
            continue
        for piece in re.split(f"({_PUNCTUATION.pattern})", segment):
            clause = piece.strip()
            if not clause:
                continue
            if _PUNCTUATION.fullmatch(clause):
                if _SENTENCE_END.search(clause):
                    after_contrast = False
                continue
            weight = AFTER_CONTRAST if after_contrast else 1.0
            if _CONCESSIVE.match(clause):
                weight *= CONCESSION
            out.append((clause, weight))
    return out


def split_clauses(text: str) -> list[str]:
    """Non-empty clauses of ``text`` in order, stripped."""
    return [clause for clause, _ in weighted_clauses(text)]
