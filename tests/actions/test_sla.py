"""SLA clocks users trust: working hours of the department's calendar, holidays, time zones,
paused while waiting on the customer, recomputed when the calendar changes, and an escalation
once per task and step, never for a closed task."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from carlzon.actions.calendar import Calendar
from carlzon.actions.escalation import check_sla, task_clocks
from carlzon.actions.rules import parse_rules
from carlzon.actions.service import apply_rules
from carlzon.actions.tasks import move_task
from carlzon.analysis.service import analyse_journey
from carlzon.errors import RulesFileError
from carlzon.ingest import Channel, FeedbackRecord
from carlzon.journeys import load_template
from carlzon.storage import Store

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = Calendar(timezone="Asia/Shanghai", weekdays="mon-fri", hours="09:00-18:00")
FRIDAY_23 = datetime(2026, 11, 27, 23, 0, tzinfo=SHANGHAI)  # a Friday


def local(moment: datetime) -> datetime:
    return moment.astimezone(SHANGHAI)


def test_a_friday_night_complaint_is_due_on_monday_morning() -> None:
    due = OFFICE.add(FRIDAY_23, timedelta(hours=1))
    assert local(due) == datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)  # Monday 10:00
    assert OFFICE.between(FRIDAY_23, due) == timedelta(hours=1)


def test_working_time_spans_nights_holidays_and_split_hours() -> None:
    calendar = Calendar(
        timezone="Asia/Shanghai",
        weekdays=["mon", "tue", "wed", "thu", "fri"],
        hours=["09:00-12:00", "13:00-18:00"],
        holidays=[date(2026, 11, 30)],
    )
    # Friday 17:00 + 3 h: 1 h on Friday, Monday is a holiday, 2 h on Tuesday morning.
    due = calendar.add(datetime(2026, 11, 27, 17, 0, tzinfo=SHANGHAI), timedelta(hours=3))
    assert local(due) == datetime(2026, 12, 1, 11, 0, tzinfo=SHANGHAI)
    # Lunch does not count: 11:00 + 2 h is 14:00.
    assert local(calendar.add(datetime(2026, 12, 1, 11, 0, tzinfo=SHANGHAI), timedelta(hours=2))).hour == 14
    # A week of working days is 40 hours.
    start = datetime(2026, 12, 7, 0, 0, tzinfo=SHANGHAI)
    assert calendar.between(start, start + timedelta(days=7)) == timedelta(hours=40)


def test_a_daylight_saving_day_keeps_local_opening_hours() -> None:
    berlin = Calendar(timezone="Europe/Berlin", weekdays="mon-sun", hours="09:00-17:00")
    # 2026-10-25: clocks go back at 03:00; 09:00 local is 08:00 UTC (not 07:00 as the day before).
    start = datetime(2026, 10, 25, 0, 0, tzinfo=UTC)
    first = berlin.add(start, timedelta(0))
    assert first == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)
    assert berlin.add(datetime(2026, 10, 24, 0, 0, tzinfo=UTC), timedelta(0)) == datetime(
        2026, 10, 24, 7, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("timezone", "Mars/Olympus", "unknown time zone"),
        ("weekdays", "fri-mon", "range of weekdays"),
        ("weekdays", ["mon", "funday"], "unknown weekday"),
        ("hours", "18:00-09:00", "before the end"),
        ("hours", ["09:00-13:00", "12:00-18:00"], "overlap"),
    ],
)
def test_a_wrong_calendar_is_refused_with_a_reason(field: str, value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Calendar.model_validate({field: value})


RULES = """\
journey: catering
calendars:
  office: {timezone: Asia/Shanghai, weekdays: mon-fri, hours: "09:00-18:00"}
default_calendar: office
sla:
  critical: {first_response: 1h, resolution: 8h}
escalation:
  - {breach: first_response, to: head of department, notify: [ops]}
  - {breach: resolution, to: operations director, notify: [ops]}
notify:
  ops: {type: webhook, url: "http://127.0.0.1:9/hook", secret_env: CARLZON_TEST_OPS_SECRET}
rules:
  - id: food-safety
    name: Food safety goes to the quality team at once
    when: {severity: critical}
    then: {task: {department: Quality & Food Safety}, priority: critical, notify: [ops]}
"""
COMPLAINT = "吃出了一只蟑螂，食品安全太差了，我要投诉到12315"


def _store_with_complaint(store: Store, at: datetime) -> Store:
    store.save_journey(load_template("catering"))
    record = FeedbackRecord(
        source="sla.csv",
        external_id="1",
        channel=Channel.APP_REVIEW,
        brand="Own",
        text=COMPLAINT,
        customer_id="c1",
        location="S01",
        created_at=at,
    )
    store.add_feedback([record])
    analyse_journey(store=store, journey_id="catering")
    return store


def _rules(store: Store, text: str = RULES):  # type: ignore[no-untyped-def]
    return parse_rules(text, journey=store.get_journey("catering"))


def test_the_friday_23_00_food_safety_task_is_due_monday_and_escalates_once(store: Store) -> None:
    _store_with_complaint(store, FRIDAY_23)
    rules = _rules(store)
    report = apply_rules(store=store, rules=rules, now=FRIDAY_23, first_since=timedelta(days=1))
    [task_id] = report.rules[0].created
    task = store.get_task(task_id)
    assert (task.department, task.priority.value, task.severity) == ("Quality & Food Safety", "critical", "critical")
    assert local(task.first_response_due) == datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)
    assert local(task.due_at) == datetime(2026, 11, 30, 17, 0, tzinfo=SHANGHAI)
    # The notice was written with the task (the outbox), for the rule's channel.
    [notice] = store.list_notices(task_id=task_id)
    assert (notice.channel, notice.event_type, notice.status.value) == ("ops", "task.created", "pending")
    assert notice.payload["data"]["text"] == COMPLAINT and notice.payload["data"]["priority"] == "critical"

    # Saturday: nothing is late; nothing escalates.
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=SHANGHAI)
    assert check_sla(store=store, rules=rules, now=saturday).escalated == []
    # Monday 10:30: first response missed → step 1, once, however often the check runs.
    monday = datetime(2026, 11, 30, 10, 30, tzinfo=SHANGHAI)
    first = check_sla(store=store, rules=rules, now=monday)
    assert [(e.task_id, e.step, e.breach) for e in first.escalated] == [(task_id, 1, "first_response")]
    assert check_sla(store=store, rules=rules, now=monday + timedelta(minutes=5)).escalated == []
    assert store.get_task(task_id).escalations == [1]
    assert [n.event_type for n in store.list_notices(task_id=task_id)] == ["task.escalated", "task.created"]
    escalate = [e for e in store.task_events(task_id) if e.action == "escalate"]
    assert escalate[0].detail["escalated_to"] == "head of department" and escalate[0].actor == "sla"
    # Resolved before the resolution clock runs out: the closed task never escalates again.
    move_task(store, task_id, "resolve", actor="wang", contacted_back=True, outcome="refund", now=monday)
    later = check_sla(store=store, rules=rules, now=monday + timedelta(days=3))
    assert later.escalated == [] and later.checked == 0


def test_waiting_on_the_customer_pauses_the_clock(sqlite_store: Store) -> None:
    store = _store_with_complaint(sqlite_store, FRIDAY_23)
    rules = _rules(store)
    [task_id] = apply_rules(store=store, rules=rules, now=FRIDAY_23, first_since=timedelta(days=1)).rules[0].created
    monday_9 = datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)
    move_task(store, task_id, "acknowledge", actor="wang", now=monday_9 + timedelta(minutes=30))
    move_task(store, task_id, "wait", actor="wang", now=monday_9 + timedelta(hours=2))  # 2 h used of 8
    tuesday = datetime(2026, 12, 1, 15, 0, tzinfo=SHANGHAI)
    clocks = {c.kind: c for c in task_clocks(store, rules, store.get_task(task_id), tuesday)}
    resolution = clocks["resolution"]
    assert resolution.paused and not resolution.breached and resolution.used == timedelta(hours=2)
    assert clocks["first_response"].stopped_at is not None and not clocks["first_response"].breached
    # Resumed on Tuesday 15:00 with 6 h left: 3 h on Tuesday, 3 h on Wednesday → Wednesday 12:00.
    move_task(store, task_id, "start", actor="wang", now=tuesday)
    check_sla(store=store, rules=rules, now=tuesday + timedelta(minutes=1))
    assert local(store.get_task(task_id).due_at) == datetime(2026, 12, 2, 12, 0, tzinfo=SHANGHAI)
    # Without the pause it would have been due on Monday 17:00 and escalated on Tuesday.
    assert not any(e.action == "escalate" for e in store.task_events(task_id))


def test_a_calendar_change_moves_the_due_times_of_open_tasks(sqlite_store: Store) -> None:
    store = _store_with_complaint(sqlite_store, FRIDAY_23)
    [task_id] = (
        apply_rules(store=store, rules=_rules(store), now=FRIDAY_23, first_since=timedelta(days=1)).rules[0].created
    )
    with_holiday = RULES.replace('hours: "09:00-18:00"}', 'hours: "09:00-18:00", holidays: [2026-11-30]}')
    report = check_sla(store=store, rules=_rules(store, with_holiday), now=FRIDAY_23 + timedelta(hours=1))
    assert report.recomputed == 1
    task = store.get_task(task_id)
    assert local(task.first_response_due) == datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)  # Tuesday


def test_undefined_calendars_and_channels_are_refused_with_their_line(sqlite_store: Store) -> None:
    sqlite_store.save_journey(load_template("catering"))
    default_line = RULES.splitlines().index("default_calendar: office") + 1
    with pytest.raises(RulesFileError) as caught:
        _rules(sqlite_store, RULES.replace("default_calendar: office", "default_calendar: night"))
    assert caught.value.lines() == [
        f"<string>:{default_line}: default_calendar: calendar 'night' is not in the calendars section (defined: office)"
    ]
    with pytest.raises(RulesFileError) as caught:
        _rules(sqlite_store, RULES.replace("notify: [ops]}\n", "notify: [sms]}\n"))
    lines = caught.value.lines()
    assert [line.split(": ")[1] for line in lines] == [
        "escalation[0].notify[0]",
        "escalation[1].notify[0]",
        "rules[0].then.notify[0]",
    ]
    assert all(
        re.match(r"<string>:\d+: \S+: channel 'sms' is not in the notify section \(defined: ops\)$", x) for x in lines
    )
    with pytest.raises(RulesFileError, match=r"<string>:3: calendars.office.timezone: .*unknown time zone"):
        _rules(sqlite_store, RULES.replace("Asia/Shanghai", "Asia/Atlantis"))
