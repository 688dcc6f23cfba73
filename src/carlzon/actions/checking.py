"""A rules text checked and dry-run as the web app offers it: the same validation and dry run as
`carlzon rules validate` and `carlzon rules test`, on a text rather than a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from carlzon.actions.rules import RuleSet, parse_rules
from carlzon.actions.service import RulesTestReport, dry_run_rules
from carlzon.errors import NotFoundError
from carlzon.storage.store import Store


@dataclass(frozen=True)
class RulesCheck:
    """A valid rules text: how many rules, and whether its journey's touchpoints could be checked."""

    rules: int
    journey_id: str
    journey_checked: bool
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": True, **self.__dict__}


def check_rules_text(*, store: Store, text: str, source: str = "rules.yaml") -> tuple[RuleSet, RulesCheck]:
    """Parse and validate ``text`` (RulesFileError with every problem's line otherwise), against its
    journey when that is stored."""
    rules = parse_rules(text, source=source)
    try:
        journey = store.get_journey(rules.journey)
    except NotFoundError:
        note = f"journey '{rules.journey}' is not stored, so its touchpoints were not checked"
        return rules, RulesCheck(len(rules.rules), rules.journey, False, [note])
    return parse_rules(text, source=source, journey=journey), RulesCheck(len(rules.rules), rules.journey, True)


def dry_run_text(*, store: Store, text: str, since: datetime | None) -> RulesTestReport:
    """What each rule of ``text`` would do over the stored feedback since ``since``; no task written."""
    rules, check = check_rules_text(store=store, text=text)
    if not check.journey_checked:
        raise NotFoundError(f"journey '{rules.journey}' is not stored; load it first: carlzon journeys load")
    return dry_run_rules(store=store, rules=rules, since=since)
