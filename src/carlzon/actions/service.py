"""Services of the closed loop over a Store (the CLI and the web call these, never the parts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

from carlzon.actions.matching import needs_meta, needs_text, record_filter, remaining_mask
from carlzon.actions.rules import Rule, RuleSet, load_rules
from carlzon.actions.severity import Severity, assess_frame
from carlzon.analysis.severity import TERMS_VERSION, text_severity_ranks
from carlzon.errors import InputError
from carlzon.storage import Store

SAMPLES = 3
ProgressCallback = Callable[[int, int], None]


@dataclass
class RuleSample:
    feedback_id: int
    text: str
    severity: str
    reasons: list[str]
    created_at: str | None


@dataclass
class RuleTest:
    """What one rule would have done over the window: records matched, tasks it would open once
    matches of the same customer (or touchpoint and store) within its dedupe window are joined,
    and a few of the texts behind them."""

    rule_id: str
    name: str
    department: str
    priority: str
    matches: int = 0
    tasks: int = 0
    samples: list[RuleSample] = field(default_factory=list)


@dataclass
class RulesTestReport:
    journey_id: str
    since: str | None
    records: int
    rules: list[RuleTest]
    by_severity: dict[str, int]

    def to_dict(self) -> dict[str, object]:
        return {
            "journey_id": self.journey_id,
            "since": self.since,
            "records": self.records,
            "by_severity": self.by_severity,
            "rules": [
                {
                    "rule_id": r.rule_id,
                    "name": r.name,
                    "department": r.department,
                    "priority": r.priority,
                    "matches": r.matches,
                    "tasks": r.tasks,
                    "samples": [s.__dict__ for s in r.samples],
                }
                for r in self.rules
            ],
        }


def parse_since(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """'30d', '12h', '2w' back from now, or an ISO date; None for everything."""
    if value is None or not value.strip():
        return None
    now = now or datetime.now(UTC)
    text = value.strip().lower()
    units = {"h": "hours", "d": "days", "w": "weeks"}
    if text[:-1].isdigit() and text[-1] in units:
        return now - timedelta(**{units[text[-1]]: int(text[:-1])})
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise InputError(
            f"--since {value!r}: give a span such as 30d, 12h or 2w, or a date such as 2026-11-01"
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def dry_run_rules(
    *,
    store: Store,
    rules: RuleSet | str | Path,
    since: datetime | None = None,
    on_progress: ProgressCallback | None = None,
) -> RulesTestReport:
    """A dry run of ``rules`` over the stored analysed feedback since ``since``: no task is written.

    The store filters each rule's records in SQL; only its matches come back. The texts' part of
    severity is kept with the analysis; records analysed before it was (or under older terms)
    are assessed once here and kept, which is the only thing this writes."""
    journey = store.get_journey(rules.journey if isinstance(rules, RuleSet) else load_rules(rules).journey)
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules, journey)
    store.refresh_text_severity(TERMS_VERSION, text_severity_ranks)
    counts = store.severity_counts(journey.id, since, ruleset.sensitive)
    by_severity = {severity.value: counts.get(severity.rank, 0) for severity in Severity}
    tests = []

    def history(customers: list[str]) -> pd.DataFrame:
        return store.negative_history(journey.id, customers)

    for done, rule in enumerate(ruleset.rules, start=1):
        rows = store.rule_matches(
            journey.id,
            since,
            record_filter(rule, ruleset, journey),
            with_text=needs_text(rule),
            with_meta=needs_meta(rule),
        )
        rows = rows[remaining_mask(rule, rows, history)]
        named = store.touchpoints_of(journey.id, rows["feedback_id"].tolist())
        test = RuleTest(rule.id, rule.name, _department(rule, journey), rule.then.priority.value, matches=len(rows))
        test.tasks = _tasks_after_dedupe(_dedupe_keys(rows, named), rule.dedupe_within)
        test.samples = _samples(store, journey.id, rows.head(SAMPLES), named, ruleset.sensitive)
        tests.append(test)
        if on_progress is not None:
            on_progress(done, len(ruleset.rules))
    records = sum(by_severity.values())
    return RulesTestReport(journey.id, since.isoformat() if since else None, records, tests, by_severity)


def _samples(
    store: Store, journey_id: str, rows: pd.DataFrame, named: dict[int, list[str]], sensitive: list[str]
) -> list[RuleSample]:
    """The first matches with their text, severity and why (assessed again here, for the reasons)."""
    if rows.empty:
        return []
    ids = [int(i) for i in rows["feedback_id"]]
    texts = store.analysed_texts(journey_id, ids).set_index("feedback_id")
    frame = texts.loc[ids].reset_index()
    assessed = assess_frame(frame, touchpoints=[named.get(i, []) for i in ids], sensitive=sensitive)
    out = []
    for i, feedback_id in enumerate(ids):
        created = rows["created_at"].iat[i]
        assessment = assessed[i]
        out.append(
            RuleSample(
                feedback_id,
                str(frame["text"].iat[i])[:300],
                assessment.severity.value,
                list(assessment.reasons),
                None if pd.isna(created) else created.isoformat(),
            )
        )
    return out


def _department(rule: Rule, journey) -> str:  # type: ignore[no-untyped-def]
    """The rule's department, else the owner of its (first) touchpoint, else 'CX'."""
    if rule.then.task.department:
        return rule.then.task.department
    for tp_id in rule.when.touchpoint:
        return str(journey.touchpoint(tp_id).owner)
    return "CX"


def _dedupe_keys(matched: pd.DataFrame, named: dict[int, list[str]]) -> pd.DataFrame:
    """The key a task is shared under: the customer, else the touchpoint and the store."""
    first_tp = [named.get(int(i), [""])[0] for i in matched["feedback_id"]]
    key = [
        f"customer:{c}" if isinstance(c, str) and c else f"place:{tp}@{loc or ''}"
        for c, tp, loc in zip(matched["customer_id"], first_tp, matched["location"], strict=True)
    ]
    return pd.DataFrame({"key": key, "created_at": matched["created_at"].to_numpy()})


def _tasks_after_dedupe(keys: pd.DataFrame, within: timedelta) -> int:
    """Tasks opened when each match joins the task of its key opened less than ``within`` before."""
    if keys.empty:
        return 0
    frame = keys.sort_values(["key", "created_at"], na_position="first")
    tasks = 0
    window = pd.Timedelta(within)
    for _, group in frame.groupby("key", sort=False):
        opened: pd.Timestamp | None = None
        for at in group["created_at"]:
            if opened is None or pd.isna(at) or pd.isna(opened) or at - opened >= window:
                tasks += 1
                opened = at
    return tasks
