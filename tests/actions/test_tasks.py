"""Rules applied: tasks opened for the right department, de-duplicated, due by the SLA, worked
through their lifecycle with an audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from carlzon.actions.models import Priority, TaskStatus
from carlzon.actions.rules import parse_rules
from carlzon.actions.service import apply_rules
from carlzon.actions.tasks import ImprovementMade, assign_task, comment_task, move_task, task_review
from carlzon.analysis.service import analyse_journey
from carlzon.errors import InputError
from carlzon.ingest import Channel, FeedbackRecord
from carlzon.journeys import load_template
from carlzon.storage import Store
from tests.actions.test_dry_run import FEEDBACK, NOW, RULES, _store_with_feedback, cli_workspace


def _rules(store: Store):  # type: ignore[no-untyped-def]
    return parse_rules(RULES, journey=store.get_journey("catering"))


def test_a_quality_warning_becomes_a_critical_task_for_the_quality_team(store: Store) -> None:
    _store_with_feedback(store)
    report = apply_rules(store=store, rules=_rules(store), now=NOW, first_since=timedelta(days=30))
    by_rule = {r.rule_id: r for r in report.rules}
    assert len(by_rule["quality-warning"].created) == 1
    task = store.get_task(by_rule["quality-warning"].created[0])
    assert (task.department, task.priority, task.severity) == ("Quality", Priority.CRITICAL, "critical")
    assert task.first_response_due == NOW + timedelta(hours=1) and task.due_at == NOW + timedelta(hours=24)
    assert task.customer_id is not None and task.customer_id.startswith("cid_")  # linked, hashed
    assert "异物" in store.feedback_texts(task.feedback_ids)["text"].iloc[0]
    assert [e.action for e in store.task_events(task.id)] == ["created"]
    slow = [store.get_task(i) for i in by_rule["slow-serving"].created]
    assert len(slow) == 3 and {t.department for t in slow} == {
        load_template("catering").touchpoint("serving_time").owner
    }
    assert {t.touchpoint_id for t in slow} == {"serving_time"}
    # A second run sees nothing new: no task twice.
    again = apply_rules(store=store, rules=_rules(store), now=NOW + timedelta(hours=1))
    assert all(r.matches == 0 and not r.created for r in again.rules)


def test_a_new_match_joins_the_open_task_and_a_closed_one_does_not(sqlite_store: Store) -> None:
    store = _store_with_feedback(sqlite_store)
    rules = _rules(store)
    first = apply_rules(store=store, rules=rules, now=NOW, first_since=timedelta(days=30))
    quality = store.get_task(next(r for r in first.rules if r.rule_id == "quality-warning").created[0])
    customer_text = "又吃出了虫子，食品安全问题一直不解决"

    def complain(external_id: str) -> None:
        record = FeedbackRecord(
            source="dry.csv",
            external_id=external_id,
            channel=Channel.APP_REVIEW,
            brand="Own",
            text=customer_text,
            customer_id="c1",
            location="S01",
            created_at=NOW + timedelta(hours=2),
        )
        store.add_feedback([record])
        analyse_journey(store=store, journey_id="catering")

    complain("later-1")
    second = apply_rules(store=store, rules=rules, now=NOW + timedelta(hours=3))
    result = next(r for r in second.rules if r.rule_id == "quality-warning")
    assert (result.matches, result.created, result.joined) == (1, [], 1)
    assert len(store.get_task(quality.id).feedback_ids) == 2
    assert [e.action for e in store.task_events(quality.id)] == ["created", "matched"]
    move_task(store, quality.id, "resolve", actor="li.na", contacted_back=True, outcome="refunded, apologised")
    complain("later-2")
    third = apply_rules(store=store, rules=rules, now=NOW + timedelta(hours=5))
    assert len(next(r for r in third.rules if r.rule_id == "quality-warning").created) == 1  # closed: a new task


@pytest.mark.parametrize(("within", "tasks"), [("7d", 1), ("0s", 2)])
def test_dedupe_within_zero_makes_every_match_a_task_of_its_own(sqlite_store: Store, within: str, tasks: int) -> None:
    """Two anonymous answers from one store in one run share its key and its "now": at 7d they are
    one task, at 0s two (a survey's detractors at one store were one task before)."""
    store = sqlite_store
    store.save_journey(load_template("catering"))
    store.add_feedback(
        [
            FeedbackRecord(
                source="qr",
                external_id=f"a{n}",
                channel=Channel.SURVEY,
                brand="Own",
                text=text,
                location="S01",
                created_at=NOW - timedelta(hours=n + 1),
            )
            for n, text in enumerate(("上菜太慢了，等了一个小时", "上菜太慢了，催了三次都没用"))
        ]
    )
    analyse_journey(store=store, journey_id="catering")
    rules = parse_rules(
        "journey: catering\nrules:\n  - id: slow\n    name: Slow serving\n"
        f"    when: {{touchpoint: serving_time}}\n    dedupe_within: {within}\n",
        journey=store.get_journey("catering"),
    )
    (applied,) = apply_rules(store=store, rules=rules, now=NOW, first_since=timedelta(days=30)).rules
    assert applied.matches == 2 and (len(applied.created), applied.joined) == (tasks, 2 - tasks)


def test_the_lifecycle_with_its_audit_trail_and_refusals(sqlite_store: Store) -> None:
    store = _store_with_feedback(sqlite_store)
    report = apply_rules(store=store, rules=_rules(store), now=NOW, first_since=timedelta(days=30))
    task_id = next(r for r in report.rules if r.rule_id == "slow-serving").created[0]
    at = NOW + timedelta(minutes=30)
    assign_task(store, task_id, "wang.wei", actor="lead", now=at)
    task = move_task(store, task_id, "acknowledge", actor="wang.wei", now=at)
    assert task.status is TaskStatus.ACKNOWLEDGED and task.acknowledged_at == at
    move_task(store, task_id, "start", actor="wang.wei", now=at + timedelta(minutes=5))
    assert store.get_task(task_id).acknowledged_at == at  # the first response is kept
    comment_task(store, task_id, "called the store manager", actor="wang.wei")
    with pytest.raises(InputError, match="'verify' is not possible now; possible: wait, resolve"):
        move_task(store, task_id, "verify", actor="lead")
    move_task(store, task_id, "resolve", actor="wang.wei", note="extra cook on Fridays")
    move_task(store, task_id, "reopen", actor="lead", note="still slow")
    assert store.get_task(task_id).resolved_at is None
    move_task(store, task_id, "resolve", actor="wang.wei")
    final = move_task(store, task_id, "verify", actor="lead")
    assert final.status is TaskStatus.VERIFIED and final.assignee == "wang.wei"
    trail = store.task_events(task_id)
    assert [e.action for e in trail] == [
        "created", "assign", "acknowledge", "start", "comment", "resolve", "reopen", "resolve", "verify"
    ]  # fmt: skip
    assert trail[6].actor == "lead" and trail[6].detail == {"from": "resolved", "to": "reopened", "note": "still slow"}
    with pytest.raises(InputError, match="possible: reopen"):
        move_task(store, task_id, "verify", actor="lead")


def test_a_recovery_task_needs_the_outcome_to_resolve(sqlite_store: Store) -> None:
    store = _store_with_feedback(sqlite_store)
    report = apply_rules(store=store, rules=_rules(store), now=NOW, first_since=timedelta(days=30))
    task_id = next(r for r in report.rules if r.rule_id == "repeat-complainer").created[0]
    assert store.get_task(task_id).recovery
    with pytest.raises(InputError, match="contacted back"):
        move_task(store, task_id, "resolve", actor="care")
    done = move_task(store, task_id, "resolve", actor="care", contacted_back=True, outcome="came back, NPS 9")
    assert (done.contacted_back, done.recovery_outcome) == (True, "came back, NPS 9")


def test_the_first_run_reads_only_recent_records(sqlite_store: Store) -> None:
    store = _store_with_feedback(sqlite_store)
    report = apply_rules(store=store, rules=_rules(store), now=NOW)  # default: the last 7 days
    slow = next(r for r in report.rules if r.rule_id == "slow-serving")
    recent = [f for f in FEEDBACK if "上菜太慢" in f[0] and f[3] <= 7]
    assert slow.matches == len(recent) == 2


def test_the_cli_applies_rules_and_works_a_task(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.cli.test_cli import carlzon

    rules, env = cli_workspace(tmp_path)
    applied = carlzon("rules", "apply", str(rules), "--since", "", cwd=tmp_path, env=env)
    assert applied.returncode == 0, applied.stderr
    assert "quality-warning: 1 new matches → 1 tasks opened" in applied.stdout
    listed = carlzon("tasks", "list", "--department", "Quality", "--json", cwd=tmp_path, env=env)
    (task,) = __import__("json").loads(listed.stdout)
    assert task["priority"] == "critical" and task["status"] == "open"
    number = str(task["id"])
    assert carlzon("tasks", "start", number, "--by", "li.na", cwd=tmp_path, env=env).returncode == 0
    refused = carlzon("tasks", "verify", number, cwd=tmp_path, env=env)
    assert refused.returncode == 2 and "'verify' is not possible now" in refused.stderr
    shown = carlzon("tasks", "show", number, cwd=tmp_path, env=env)
    assert "li.na: start" in shown.stdout and "异物" in shown.stdout
    missing = carlzon("tasks", "show", "9999", cwd=tmp_path, env=env)
    assert missing.returncode == 3 and "no task 9999" in missing.stderr


def test_open_and_overdue_tasks_by_department(sqlite_store: Store) -> None:
    from carlzon.actions.service import tasks_by_department

    store = _store_with_feedback(sqlite_store)
    report = apply_rules(store=store, rules=_rules(store), now=NOW, first_since=timedelta(days=30))
    quality_id = next(r for r in report.rules if r.rule_id == "quality-warning").created[0]
    # Two days on: the critical task (24 h) is overdue, the high ones (3 d) not yet.
    rows = {
        d.department: d for d in tasks_by_department(store=store, journey_id="catering", now=NOW + timedelta(days=2))
    }
    assert (rows["Quality"].open, rows["Quality"].overdue, rows["Quality"].critical) == (1, 1, 1)
    kitchen = rows[load_template("catering").touchpoint("serving_time").owner]
    assert kitchen.open == 3 and kitchen.overdue == 0
    move_task(store, quality_id, "resolve", actor="qa")
    after = {d.department for d in tasks_by_department(store=store, journey_id="catering", now=NOW + timedelta(days=2))}
    assert "Quality" not in after  # resolved: no longer open work


def test_a_resolved_task_records_its_improvement_and_shows_the_review_verdict(sqlite_store: Store) -> None:
    store = sqlite_store
    store.save_journey(load_template("catering"))
    slow, fast = "上菜太慢了，等了一个小时，太差了", "上菜很快，服务热情，味道很好"

    def records(prefix: str, texts: list[str], start) -> list[FeedbackRecord]:  # type: ignore[no-untyped-def]
        return [
            FeedbackRecord(
                source="review.csv",
                external_id=f"{prefix}{i}",
                channel=Channel.APP_REVIEW,
                brand="Own",
                text=text,
                location="S01",
                created_at=start + timedelta(hours=i),
            )
            for i, text in enumerate(texts)
        ]

    store.add_feedback(records("before", [slow] * 14 + [fast] * 6, NOW - timedelta(days=20)))
    analyse_journey(store=store, journey_id="catering")
    rules = parse_rules(
        "journey: catering\nrules:\n  - id: slow\n    name: Slow serving\n"
        "    when: {touchpoint: serving_time, sentiment_at_most: -0.3}\n",
        journey=store.get_journey("catering"),
    )
    [task_id, *_] = (
        apply_rules(store=store, rules=rules, now=NOW - timedelta(days=10), first_since=timedelta(days=30))
        .rules[0]
        .created
    )
    with pytest.raises(InputError, match="recorded when the task is resolved"):
        move_task(store, task_id, "start", actor="chef", improvement=ImprovementMade("a second pass"))
    task = move_task(
        store,
        task_id,
        "resolve",
        actor="chef",
        improvement=ImprovementMade(
            "a second pass at the kitchen", started_on=NOW - timedelta(days=9), stores=("S01",)
        ),
        now=NOW - timedelta(days=9),
    )
    assert task.improvement_id is not None
    assert "not judged yet" in task_review(store, task)["summary"]  # nothing after it yet
    store.add_feedback(records("after", [fast] * 17 + [slow] * 3, NOW - timedelta(days=8)))
    analyse_journey(store=store, journey_id="catering")
    verdict = task_review(store, store.get_task(task_id))
    assert verdict is not None and verdict["worked"] is True
    assert "fell from 70% to 15%" in verdict["summary"]
    [improvement] = store.list_improvements("catering")
    assert (improvement.touchpoint_id, improvement.brand, improvement.locations) == ("serving_time", "Own", ["S01"])
    assert store.task_events(task_id)[-1].detail["improvement_id"] == improvement.id


def test_the_report_shows_the_recovery_rate_per_department(sqlite_store: Store) -> None:
    from carlzon.actions.service import recovery_by_department
    from carlzon.reports.html import build_report_data, render_report

    store = sqlite_store
    store.save_journey(load_template("catering"))

    def feedback(external_id: str, customer: str, text: str, nps: int, at) -> FeedbackRecord:  # type: ignore[no-untyped-def]
        return FeedbackRecord(
            source="recovery.csv",
            external_id=external_id,
            channel=Channel.APP_REVIEW,
            brand="Own",
            text=text,
            customer_id=customer,
            location="S01",
            created_at=at,
            nps=nps,
        )

    store.add_feedback(
        [
            feedback("1", "c1", "服务员态度很差，上菜太慢了", 2, NOW - timedelta(days=3)),
            feedback("2", "c2", "菜是凉的，太差了，再也不来了", 1, NOW - timedelta(days=3)),
        ]
    )
    analyse_journey(store=store, journey_id="catering")
    rules = parse_rules(
        "journey: catering\nrules:\n  - id: recover\n    name: Call every unhappy customer back\n"
        "    when: {sentiment_at_most: -0.3}\n    then: {task: {department: Customer Care}, recovery: true}\n",
        journey=store.get_journey("catering"),
    )
    created = apply_rules(store=store, rules=rules, now=NOW - timedelta(days=2), first_since=timedelta(days=30))
    first, second = sorted(created.rules[0].created)
    move_task(
        store,
        first,
        "resolve",
        actor="care",
        contacted_back=True,
        outcome="apologised, voucher",
        now=NOW - timedelta(days=2),
    )
    move_task(
        store, second, "resolve", actor="care", contacted_back=False, outcome="no answer", now=NOW - timedelta(days=2)
    )
    store.add_feedback([feedback("3", "c1", "这次上菜很快，服务热情", 9, NOW - timedelta(days=1))])  # c1 came back
    analyse_journey(store=store, journey_id="catering")

    [care] = recovery_by_department(store=store, journey_id="catering")
    assert (care.department, care.resolved, care.contacted, care.came_back, care.score_rose) == (
        "Customer Care",
        2,
        1,
        1,
        1,
    )
    assert care.rate == 0.5
    html = render_report(build_report_data(store=store, journey_id="catering"))
    section = html[html.index('<section id="recovery">') :]
    assert 'data-department="Customer Care"' in section and "50%" in section[: section.index("</section>")]
