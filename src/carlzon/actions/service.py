"""Services of the closed loop over a Store (the CLI and the web call these, never the parts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

from carlzon.actions.fields import parse_duration
from carlzon.actions.matching import needs_meta, needs_text, record_filter, remaining_mask
from carlzon.actions.models import CLOSED, NoticeDraft, Task, TaskStatus
from carlzon.actions.notices import task_payload
from carlzon.actions.rules import Rule, RuleSet, load_rules
from carlzon.actions.severity import Severity, assess_frame
from carlzon.analysis.severity import TERMS_VERSION, text_severity_ranks
from carlzon.errors import InputError
from carlzon.journeys.models import Journey
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
        return asdict(self)


def parse_since(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """A span back from now ('30d', '12h', '2w': rules.parse_duration), or an ISO date; None for everything."""
    if value is None or not value.strip():
        return None
    try:
        return (now or datetime.now(UTC)) - parse_duration(value.strip().lower())
    except OverflowError:
        raise InputError(f"--since {value!r}: that reaches before the year 1; give a shorter span or a date") from None
    except ValueError:
        pass  # not a span: a date
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise InputError(
            f"--since {value!r}: give a span such as 30d, 12h or 2w, or a date such as 2026-11-01"
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _prepared(store: Store, rules: RuleSet | str | Path) -> tuple[Journey, RuleSet]:
    """The rules (a file read and checked against its journey) and their journey, with every
    analysed text's severity current (assessed once for records analysed before it was stored)."""
    journey = store.get_journey(rules.journey if isinstance(rules, RuleSet) else load_rules(rules).journey)
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules, journey)
    store.refresh_text_severity(TERMS_VERSION, text_severity_ranks)
    return journey, ruleset


def _matches(
    store: Store, journey: Journey, ruleset: RuleSet, rule: Rule, since: datetime | None, after_id: int = 0
) -> tuple[pd.DataFrame, dict[int, list[str]]]:
    """The records ``rule`` matches (the store's SQL filter, then what SQL cannot say) and the
    touchpoints each names."""
    rows = store.rule_matches(
        journey.id,
        since,
        record_filter(rule, ruleset, journey),
        with_text=needs_text(rule),
        with_meta=needs_meta(rule),
        after_id=after_id,
    )
    rows = rows[remaining_mask(rule, rows, lambda customers: store.negative_history(journey.id, customers))]
    return rows, store.touchpoints_of(journey.id, rows["feedback_id"].tolist())


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
    journey, ruleset = _prepared(store, rules)
    counts = store.severity_counts(journey.id, since, ruleset.sensitive)
    by_severity = {severity.value: counts.get(severity.rank, 0) for severity in Severity}
    tests = []
    for done, rule in enumerate(ruleset.rules, start=1):
        rows, named = _matches(store, journey, ruleset, rule, since)
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


def _department(rule: Rule, journey: Journey, touchpoint: str = "") -> str:
    """The rule's department, else the owner of the touchpoint (the task's, else the rule's
    first), else 'CX'."""
    if rule.then.task.department:
        return rule.then.task.department
    for tp_id in [touchpoint, *rule.when.touchpoint]:
        if tp_id:
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


@dataclass
class RuleApplied:
    rule_id: str
    priority: str
    matches: int = 0
    created: list[int] = field(default_factory=list)  # task ids opened
    joined: int = 0  # matches attached to a task already open


@dataclass
class RulesApplyReport:
    journey_id: str
    rules: list[RuleApplied]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


FIRST_RUN_SINCE = timedelta(days=7)


def apply_rules(
    *,
    store: Store,
    rules: RuleSet | str | Path,
    now: datetime | None = None,
    first_since: timedelta = FIRST_RUN_SINCE,
    actor: str = "rules",
) -> RulesApplyReport:
    """Apply ``rules`` to the analysed records each rule has not seen yet, opening tasks.

    A rule's first run reads the records created within ``first_since`` (not the whole history:
    a year of complaints is a report, not a queue); later runs read what was analysed since. A
    match joins the rule's open task for the same customer (else the same touchpoint and store)
    opened within its ``dedupe_within``; otherwise it opens a task, due by the rule's SLA."""
    journey, ruleset = _prepared(store, rules)
    now = now or datetime.now(UTC)
    last = store.last_analysed_id(journey.id)
    report = RulesApplyReport(journey.id, [])
    for rule in ruleset.rules:
        cursor = store.rule_cursor(journey.id, rule.id)
        rows, named = _matches(store, journey, ruleset, rule, None if cursor else now - first_since, after_id=cursor)
        applied = RuleApplied(rule.id, rule.then.priority.value, matches=len(rows))
        keys = _dedupe_keys(rows, named)["key"].tolist()
        texts = _texts_for_notices(store, journey.id, rule, ruleset, journey, rows, named)
        for index, key in enumerate(keys):
            feedback_id = int(rows["feedback_id"].iat[index])
            open_id = store.open_task_for(rule.id, key, opened_since=now - rule.dedupe_within)
            if open_id is not None:
                applied.joined += store.link_feedback(open_id, [feedback_id], actor=actor)
                continue
            task = _task_for(rule, ruleset, journey, rows.iloc[index], named.get(feedback_id, []), now)
            channels = ruleset.channels_for(rule, task.department)
            text = texts.get(feedback_id)
            created = store.add_task(
                task,
                dedupe_key=key,
                actor=actor,
                detail={"rule": rule.id},
                notices=lambda stored, text=text, channels=channels: [
                    NoticeDraft(c, "task.created", task_payload("task.created", stored, now, text=text))
                    for c in channels
                ],
            )
            applied.created.append(int(created.id or 0))
        store.set_rule_cursor(journey.id, rule.id, max(last, cursor))
        report.rules.append(applied)
    return report


def _texts_for_notices(
    store: Store,
    journey_id: str,
    rule: Rule,
    ruleset: RuleSet,
    journey: Journey,
    rows: pd.DataFrame,
    named: dict[int, list[str]],
) -> dict[int, str]:
    """The (stored, so redacted) texts of a rule's matches, when its tasks are announced anywhere."""
    departments = {_department(rule, journey, tps[0] if tps else "") for tps in named.values()} or {
        _department(rule, journey)
    }
    if rows.empty or not any(ruleset.channels_for(rule, d) for d in departments):
        return {}
    texts = store.analysed_texts(journey_id, [int(i) for i in rows["feedback_id"]])
    return {int(i): str(t) for i, t in zip(texts["feedback_id"], texts["text"], strict=True)}


def _task_for(
    rule: Rule, ruleset: RuleSet, journey: Journey, row: pd.Series, touchpoints: list[str], now: datetime
) -> Task:
    """The task a match opens, due by the rule's SLA in its department's working hours."""
    sla = ruleset.sla_for(rule)
    touchpoint = next((tp for tp in rule.when.touchpoint if tp in touchpoints), touchpoints[0] if touchpoints else "")
    customer = row["customer_id"]
    department = _department(rule, journey, touchpoint)
    calendar = ruleset.calendar_for(department)
    return Task(
        journey_id=journey.id,
        touchpoint_id=touchpoint or "(none)",
        title=rule.then.task.title or rule.name,
        department=department,
        priority=rule.then.priority,
        rule_id=rule.id,
        assignee=rule.then.task.assignee,
        customer_id=customer if isinstance(customer, str) and customer else None,
        location=row["location"] if isinstance(row["location"], str) else None,
        severity=_SEVERITY_NAMES[int(row["severity"])],
        created_at=now,
        first_response_due=calendar.add(now, sla.first_response),
        due_at=calendar.add(now, sla.resolution),
        first_response_target=sla.first_response,
        resolution_target=sla.resolution,
        recovery=rule.then.recovery,
        tags=list(rule.then.tag),
        feedback_ids=[int(row["feedback_id"])],
    )


_SEVERITY_NAMES = {severity.rank: severity.value for severity in Severity}


@dataclass(frozen=True)
class DepartmentTasks:
    """One department's open work: how many tasks are open, how many of them are overdue
    (resolution due passed) and how many are critical."""

    department: str
    open: int
    overdue: int
    critical: int

    def to_dict(self) -> dict[str, object]:
        return self.__dict__.copy()


def tasks_by_department(*, store: Store, journey_id: str, now: datetime | None = None) -> list[DepartmentTasks]:
    """Open tasks per department, most overdue first (the report's task table)."""
    now = now or datetime.now(UTC)
    rows: dict[str, list[int]] = {}
    for task in store.list_tasks(journey_id, statuses=[s.value for s in TaskStatus if s not in CLOSED]):
        counts = rows.setdefault(task.department, [0, 0, 0])
        counts[0] += 1
        counts[1] += task.due_at is not None and task.due_at < now
        counts[2] += task.priority.value == "critical"
    departments = [DepartmentTasks(name, *counts) for name, counts in rows.items()]
    return sorted(departments, key=lambda d: (-d.overdue, -d.open, d.department))


@dataclass(frozen=True)
class DepartmentRecovery:
    """Complaint recovery in one department: recovery tasks resolved, customers contacted back,
    and of those customers how many came back (gave feedback after) or scored higher than in
    the complaint; the recovery rate is came back over resolved."""

    department: str
    resolved: int
    contacted: int
    came_back: int
    score_rose: int

    @property
    def rate(self) -> float:
        return self.came_back / self.resolved if self.resolved else 0.0

    def to_dict(self) -> dict[str, object]:
        return self.__dict__.copy() | {"rate": self.rate}


def recovery_by_department(*, store: Store, journey_id: str) -> list[DepartmentRecovery]:
    """The report's recovery table: what became of the customers of resolved recovery tasks."""
    counts: dict[str, list[int]] = {}
    closed = [s.value for s in CLOSED]
    for task in store.list_tasks(journey_id, statuses=closed):
        if not task.recovery or task.resolved_at is None:
            continue
        row = counts.setdefault(task.department, [0, 0, 0, 0])
        row[0] += 1
        row[1] += bool(task.contacted_back)
        if task.customer_id:
            came_back, next_nps = store.customer_after(task.customer_id, task.resolved_at)
            before = store.task_nps(task.feedback_ids)
            row[2] += came_back
            row[3] += next_nps is not None and before is not None and next_nps > before
    rows = [DepartmentRecovery(name, *values) for name, values in counts.items()]
    return sorted(rows, key=lambda r: (-r.resolved, r.department))
