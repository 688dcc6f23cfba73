"""What Carlzon keeps of personal data, applied wherever a value is stored or written out.

One ``Privacy`` travels with an import (into its reader process, too): the text and every
unmapped column are redacted, the customer id is hashed (or kept, when the workspace is set to
``customer_ids: raw``), and a quarantined row keeps only what its owner needs to fix it — the
failing field and the row's id as they were; every other cell redacted, the redacted ones named.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from carlzon.privacy.pseudonyms import pseudonym
from carlzon.privacy.redact import redact

REDACTED_KEY = "_redacted"  # in a quarantined row's raw values: the cells that were redacted


@dataclass(frozen=True)
class Privacy:
    """The workspace's privacy policy: ``key`` hashes customer ids; None keeps them as given."""

    key: bytes | None

    def customer(self, value: str | None) -> str | None:
        """A customer id as it may be stored."""
        if not value:
            return None
        return value if self.key is None else pseudonym(value, self.key)

    def meta(self, values: dict[str, Any]) -> dict[str, Any]:
        """Unmapped columns as they may be stored: every text value redacted."""
        return {k: redact(v) if isinstance(v, str) else v for k, v in values.items()}

    def quarantined(self, raw: dict[str, Any], keep: Iterable[str], customer_column: str | None) -> dict[str, Any]:
        """A rejected row's raw values as they may be stored: ``keep`` (the failing field, the id)
        verbatim, the customer id hashed, every other text redacted; the changed cells are listed
        under REDACTED_KEY so an export can say which they were."""
        kept = set(keep)
        out: dict[str, Any] = {}
        changed: list[str] = []
        for column, value in raw.items():
            if column in kept or not isinstance(value, str):
                out[column] = value
                continue
            safe = self.customer(value) if column == customer_column else redact(value)
            out[column] = safe
            if safe != value:
                changed.append(column)
        if changed:
            out[REDACTED_KEY] = changed
        return out


def without_marks(raw: dict[str, Any]) -> dict[str, Any]:
    """A quarantined row's values without Carlzon's own marks (what is validated on retry)."""
    return {k: v for k, v in raw.items() if k != REDACTED_KEY}
