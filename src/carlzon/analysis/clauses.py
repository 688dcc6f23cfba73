"""Split feedback into clauses, the unit that carries one opinion about one thing.

Why clauses: "菜很好吃，但是上菜太慢" praises one touchpoint and blames another; scoring the
whole text would blur both.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"[，,。．.！!？?；;：:\n、~～]+|\s+but\s+|\s+however\s+|但是|不过|可是", re.IGNORECASE)


def split_clauses(text: str) -> list[str]:
    """Non-empty clauses of ``text`` in order, stripped."""
    return [part.strip() for part in _BOUNDARY.split(text) if part and part.strip()]
