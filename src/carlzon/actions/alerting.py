"""Alert checks over a Store: run the rules file's alerts and open a task (with its notices)
for each that fires, once per alert, place and period."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from carlzon.actions.alerts import (
    PERIODS,
    Alert,
    FiredAlert,
    floor_time,
    has_touchpoint,
    negative_spikes,
    nps_floors,
)
from carlzon.actions.models import NoticeDraft, Priority, Task
from carlzon.actions.notices import task_payload
from carlzon.actions.rules import DEFAULT_SLA, RuleSet, load_rules
from carlzon.journeys.models import Journey
from carlzon.storage import Store


@dataclass
class AlertsReport:
    checked: int = 0
    fired: list[FiredAlert] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def check_alerts(
    *,
    store: Store,
    rules: RuleSet | str | Path,
    now: datetime | None = None,
    dry_run: bool = False,
    actor: str = "alerts",
) -> AlertsReport:
    """Run every alert of the rules file; each fired alert (once per alert, place and period)
    opens a task with the reason and its notices, unless ``dry_run``."""
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    now = now or datetime.now(UTC)
    journey = store.get_journey(ruleset.journey)
    report = AlertsReport()
    for alert in ruleset.alerts:
        report.checked += 1
        if alert.kind == "negative_spike":
            step = PERIODS[alert.period]
            since = floor_time(now, step) - step * (alert.history + 1)
            fired = negative_spikes(alert, store.mention_volume(journey.id, since), now, journey)
        else:
            fired = nps_floors(alert, store.store_scores(journey.id, floor_time(now, PERIODS["day"]) - alert.over), now)
        for one in fired:
            key = f"{one.touchpoint_id or ''}@{one.location}:{one.period_start}"
            rule_id = f"alert:{alert.id}"
            if store.has_task_with_key(rule_id, key):
                continue
            if not dry_run:
                one.task_id = _open_task(store, ruleset, journey, alert, one, key, now, actor)
            report.fired.append(one)
    return report


def _open_task(
    store: Store,
    ruleset: RuleSet,
    journey: Journey,
    alert: Alert,
    fired: FiredAlert,
    key: str,
    now: datetime,
    actor: str,
) -> int:
    touchpoint = fired.touchpoint_id or ""
    department = alert.then.department or (
        str(journey.touchpoint(touchpoint).owner) if touchpoint and has_touchpoint(journey, touchpoint) else "CX"
    )
    priority = Priority(alert.then.priority)
    sla = ruleset.sla.get(priority, DEFAULT_SLA[priority])
    calendar = ruleset.calendar_for(department)
    task = Task(
        journey_id=journey.id,
        touchpoint_id=touchpoint or "(none)",
        title=f"Alert: {fired.reason}"[:500],
        department=department,
        priority=priority,
        rule_id=f"alert:{alert.id}",
        location=fired.location or None,
        created_at=now,
        first_response_due=calendar.add(now, sla.first_response),
        due_at=calendar.add(now, sla.resolution),
        first_response_target=sla.first_response,
        resolution_target=sla.resolution,
        tags=["alert", alert.kind],
    )
    settings = ruleset.departments.get(department)
    channels = list(dict.fromkeys([*alert.then.notify, *(settings.notify if settings else [])]))
    extra = {"reason": fired.reason, "alert_id": alert.id, "value": fired.value, "baseline": fired.baseline}
    stored = store.add_task(
        task,
        dedupe_key=key,
        actor=actor,
        detail={"alert": alert.id, "reason": fired.reason},
        notices=lambda t: [
            NoticeDraft(c, "alert.fired", task_payload("alert.fired", t, now, extra=extra)) for c in channels
        ],
    )
    return int(stored.id or 0)
