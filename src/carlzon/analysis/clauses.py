"""Split feedback into clauses, the unit that carries one opinion about one thing.

Why clauses: "菜很好吃，但是上菜太慢" praises one touchpoint and blames another; scoring the
whole text would blur both. Why weights: after a contrast ("但是", "不过", "but", "however")
comes what the customer concluded, and a concession ("虽然", "although") is what they set
aside, so the text's overall feeling leans on the first and discounts the second.
"""

from __future__ import annotations

import re

from carlzon.analysis.language import unescape_html

_CONTRAST = re.compile(r"\s+but\s+|\s+however,?\s+|但是|不过|不過|可是|然而|(?<![不非])但", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[，,。．.！!？?；;：:\n、~～]+")
_SENTENCE_END = re.compile(r"[。．.！!？?\n]")
_CONCESSIVE = re.compile(
    r"^(?:虽然|虽说|尽管|虽|雖然|雖說|儘管|雖|although\b|though\b|even though\b|while\b)", re.IGNORECASE
)

AFTER_CONTRAST = 2.0
CONCESSION = 0.5


_BOUNDARY = re.compile(f"(?P<contrast>{_CONTRAST.pattern})|(?P<mark>{_PUNCTUATION.pattern})", re.IGNORECASE)


def weighted_clauses(text: str, *, decoded: bool = False) -> list[tuple[str, float]]:
    """Non-empty clauses of ``text`` in order, with the weight each carries in the text's overall feeling.

    HTML entities are decoded first, unless ``decoded`` says the text already was (normalised
    text): decoding twice would read a written "&amp;lt;" as "<"."""
    if not decoded:
        text = unescape_html(text)
    if not _CONTRAST.search(text):  # most texts: no conclusion to weigh, one split does it
        return [
            (clause, CONCESSION if _CONCESSIVE.match(clause) else 1.0)
            for clause in (piece.strip() for piece in _PUNCTUATION.split(text))
            if clause
        ]
    out: list[tuple[str, float]] = []
    after_contrast = False
    position = 0
    for match in _BOUNDARY.finditer(text):
        _append(out, text[position : match.start()], after_contrast)
        position = match.end()
        if match.group("contrast") is not None:  # what follows, to the end of its sentence, is the conclusion
            after_contrast = True
        elif _SENTENCE_END.search(match.group("mark")):
            after_contrast = False
    _append(out, text[position:], after_contrast)
    return out


def _append(out: list[tuple[str, float]], piece: str, after_contrast: bool) -> None:
    clause = piece.strip()
    if clause:
        weight = AFTER_CONTRAST if after_contrast else 1.0
        out.append((clause, weight * CONCESSION if _CONCESSIVE.match(clause) else weight))


def clause_weights(text: str, clauses: list[str]) -> list[float]:
    """The weights of ``clauses``, which weighted_clauses(text) split off ``text`` earlier (the
    sentiment step keeps the clauses, not their weights): a concession's 0.5 can be read off the
    clause itself, a conclusion's 2.0 only off the text, so only a text with a contrast word is
    split again. Any mismatch (clauses from elsewhere) weighs them all 1.0."""
    if not _CONTRAST.search(text):
        return [CONCESSION if _CONCESSIVE.match(clause) else 1.0 for clause in clauses]
    weighted = weighted_clauses(text)
    if len(weighted) != len(clauses):
        return [1.0] * len(clauses)
    return [weight for _, weight in weighted]


def split_clauses(text: str) -> list[str]:
    """Non-empty clauses of ``text`` in order, stripped."""
    return [clause for clause, _ in weighted_clauses(text)]
