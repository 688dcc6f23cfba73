"""Services of the closed loop over a Store (the CLI and the web call these, never the parts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from carlzon.actions.matching import rule_masks
from carlzon.actions.rules import Rule, RuleSet, load_rules
from carlzon.actions.severity import assess_frame
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
    chunk: int = 50_000,
    on_progress: ProgressCallback | None = None,
) -> RulesTestReport:
    """A dry run of ``rules`` over the stored analysed feedback since ``since``: nothing is written."""
    journey = store.get_journey(rules.journey if isinstance(rules, RuleSet) else load_rules(rules).journey)
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules, journey)
    tests = {r.id: RuleTest(r.id, r.name, _department(r, journey), r.then.priority.value) for r in ruleset.rules}
    keys: dict[str, list[pd.DataFrame]] = {r.id: [] for r in ruleset.rules}
    severities = {"low": 0, "medium": 0, "high": 0, "critical": 0}
    needs_segment = any(r.when.segment for r in ruleset.rules)
    needs_text = any(r.when.regex for r in ruleset.rules)  # else the samples' texts are read at the end
    total = store.count_feedback()
    records = 0

    def history(customers: list[str]) -> pd.DataFrame:
        return store.negative_history(journey.id, customers)

    for frame in store.analysed_chunks(
        journey.id, since=since, size=chunk, with_text=needs_text, with_segment=needs_segment
    ):
        assessments = assess_frame(frame, touchpoints=list(frame["touchpoints"]), sensitive=ruleset.sensitive)
        for name, count in assessments.counts().items():
            severities[name] += count
        for rule_id, mask in rule_masks(ruleset, frame, journey, assessments, history).items():
            hits = np.flatnonzero(mask)
            test = tests[rule_id]
            test.matches += len(hits)
            for i in hits[: max(0, SAMPLES - len(test.samples))]:
                created = frame["created_at"].iat[i]
                test.samples.append(
                    RuleSample(
                        int(frame["feedback_id"].iat[i]),
                        str(frame["text"].iat[i] or "")[:300],
                        assessments[i].severity.value,
                        list(assessments[i].reasons),
                        None if pd.isna(created) else created.isoformat(),
                    )
                )
            if len(hits):
                keys[rule_id].append(_dedupe_keys(frame.iloc[hits]))
        records += len(frame)
        if on_progress is not None:
            on_progress(records, total)
    for rule in ruleset.rules:
        tests[rule.id].tasks = _tasks_after_dedupe(keys[rule.id], rule.dedupe_within)
    _fill_sample_texts(store, [s for t in tests.values() for s in t.samples])
    return RulesTestReport(journey.id, since.isoformat() if since else None, records, list(tests.values()), severities)


def _fill_sample_texts(store: Store, samples: list[RuleSample]) -> None:
    """The original texts of the samples (the chunks carry only the normalised ones)."""
    if not samples:
        return
    texts = store.feedback_texts(sorted({s.feedback_id for s in samples}))
    original = dict(zip(texts["feedback_id"], texts["text"], strict=True))
    for sample in samples:
        sample.text = str(original.get(sample.feedback_id, sample.text))[:300]


def _department(rule: Rule, journey) -> str:  # type: ignore[no-untyped-def]
    """The rule's department, else the owner of its (first) touchpoint, else 'CX'."""
    if rule.then.task.department:
        return rule.then.task.department
    for tp_id in rule.when.touchpoint:
        return str(journey.touchpoint(tp_id).owner)
    return "CX"


def _dedupe_keys(matched: pd.DataFrame) -> pd.DataFrame:
    """The key a task is shared under: the customer, else the touchpoint and the store."""
    first_tp = [named[0] if named else "" for named in matched["touchpoints"]]
    key = [
        f"customer:{c}" if isinstance(c, str) and c else f"place:{tp}@{loc or ''}"
        for c, tp, loc in zip(matched["customer_id"], first_tp, matched["location"], strict=True)
    ]
    return pd.DataFrame({"key": key, "created_at": matched["created_at"].to_numpy()})


def _tasks_after_dedupe(parts: list[pd.DataFrame], within: timedelta) -> int:
    """Tasks opened when each match joins the task of its key opened less than ``within`` before."""
    if not parts:
        return 0
    frame = pd.concat(parts, ignore_index=True).sort_values(["key", "created_at"], na_position="first")
    tasks = 0
    window = pd.Timedelta(within)
    for _, group in frame.groupby("key", sort=False):
        opened: pd.Timestamp | None = None
        for at in group["created_at"]:
            if opened is None or pd.isna(at) or pd.isna(opened) or at - opened >= window:
                tasks += 1
                opened = at
    return tasks
