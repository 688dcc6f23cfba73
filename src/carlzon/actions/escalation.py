"""SLA checks: recompute every open task's clocks from its audit trail under its department's
calendar, store the due times, and escalate a breach once per task and step.

The worker runs this on each pass; ``carlzon tasks sla`` shows the clocks. Recomputing each
time is what makes a calendar change (a new holiday) apply to tasks already open.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from carlzon.actions.models import CLOSED, NoticeDraft, Task, TaskEvent, TaskStatus
from carlzon.actions.notices import task_payload
from carlzon.actions.rules import RuleSet, load_rules
from carlzon.actions.sla import SlaClock, clocks
from carlzon.storage import Store

OPEN_STATUSES = [s.value for s in TaskStatus if s not in CLOSED]


@dataclass
class Escalated:
    task_id: int
    step: int
    breach: str
    escalated_to: str
    channels: list[str]


@dataclass
class SlaReport:
    checked: int = 0
    recomputed: int = 0
    breached: int = 0
    escalated: list[Escalated] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def task_clocks(store: Store, ruleset: RuleSet, task: Task, now: datetime) -> list[SlaClock]:
    """A task's clocks under its department's calendar, from its audit trail."""
    assert task.id is not None
    return clocks(task, store.task_events(task.id), ruleset.calendar_for(task.department), now)


def check_sla(
    *, store: Store, rules: RuleSet | str | Path, now: datetime | None = None, actor: str = "sla"
) -> SlaReport:
    """Recompute the clocks of every open task, store changed due times, and take each breached
    escalation step that has not been taken (never for closed tasks)."""
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    now = now or datetime.now(UTC)
    report = SlaReport()
    for task in store.list_tasks(statuses=OPEN_STATUSES):
        if task.id is None or (task.first_response_target is None and task.resolution_target is None):
            continue
        report.checked += 1
        by_kind = {c.kind: c for c in task_clocks(store, ruleset, task, now)}
        first, resolution = by_kind.get("first_response"), by_kind.get("resolution")
        new_first = first.due_at if first else task.first_response_due
        new_due = resolution.due_at if resolution else task.due_at
        if (new_first, new_due) != (task.first_response_due, task.due_at):
            store.set_task_due(task.id, new_first, new_due)
            report.recomputed += 1
            task = task.model_copy(update={"first_response_due": new_first, "due_at": new_due})
        # A first-response breach matters while nobody has answered; a resolution breach while open.
        breaches = {kind for kind, c in by_kind.items() if c.breached and c.stopped_at is None}
        report.breached += bool(breaches)
        for step, escalation in enumerate(ruleset.escalation_for(task.department), start=1):
            if step in task.escalations or escalation.breach not in breaches:
                continue
            clock = by_kind[escalation.breach]
            detail: dict[str, object] = {
                "step": step,
                "breach": escalation.breach,
                "escalated_to": escalation.to,
                "due_at": clock.due_at.isoformat() if clock.due_at else None,
            }
            extra = {"escalated_to": escalation.to, "breach": escalation.breach, "step": step}
            payload = task_payload("task.escalated", task, now, extra=extra)
            notices = [NoticeDraft(channel, "task.escalated", payload) for channel in escalation.notify]
            event = TaskEvent(task_id=task.id, at=now, actor=actor, action="escalate", detail=detail)
            if store.escalate_task(task.id, step, escalation.to, event, notices):
                report.escalated.append(Escalated(task.id, step, escalation.breach, escalation.to, escalation.notify))
    return report
