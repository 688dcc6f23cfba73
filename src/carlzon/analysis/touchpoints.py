"""Tag clauses with the journey touchpoints they talk about, from the journey's own taxonomy.

Matching runs on normalised text (simplified Chinese, lower-case), so one simplified term
also finds its traditional spelling; English terms match on word boundaries so "bill" does
not fire inside "billion". All terms of all touchpoints form one alternation, longest first,
so at any position the longest term wins: "customer service" is complaint handling, not the
generic "service" of service attitude.
"""

from __future__ import annotations

import re

from carlzon.analysis.language import normalise
from carlzon.journeys.models import Journey

_HAS_LATIN = re.compile(r"[a-z]")


class TouchpointTagger:
    """Finds which touchpoints of ``journey`` a normalised clause mentions."""

    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self._order = {tp.id: index for index, tp in enumerate(journey.touchpoints())}
        self._owners: dict[str, list[str]] = {}
        for tp in journey.touchpoints():
            for term in tp.keywords.all_terms():
                key = normalise(term)
                if key and tp.id not in self._owners.setdefault(key, []):
                    self._owners[key].append(tp.id)
        parts = []
        for term in sorted(self._owners, key=len, reverse=True):
            escaped = re.escape(term)
            parts.append(rf"(?<![a-z]){escaped}(?:s|es)?(?![a-z])" if _HAS_LATIN.search(term) else escaped)
        self._pattern = re.compile("|".join(parts)) if parts else None

    def tag(self, normalised_clause: str) -> list[str]:
        """Touchpoint ids mentioned in the clause, in journey order."""
        if self._pattern is None:
            return []
        found = {
            tp_id for match in self._pattern.finditer(normalised_clause) for tp_id in self._owners_of(match.group())
        }
        return sorted(found, key=self._order.__getitem__)

    def _owners_of(self, matched: str) -> list[str]:
        """Touchpoints of a matched term, allowing for the English plural the pattern accepts."""
        for cut in (0, 1, 2):
            term = matched[: len(matched) - cut]
            if term in self._owners:
                return self._owners[term]
        raise KeyError(matched)
