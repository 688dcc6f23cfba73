"""Alerts: a touchpoint at a store far worse than its own history (robust z, with a minimum
volume), a store's NPS under a floor; each says why, opens one task per place and period, and
feeds the outbox like a rule's match."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from carlzon.actions.alerting import check_alerts
from carlzon.actions.alerts import robust_z
from carlzon.actions.rules import parse_rules
from carlzon.analysis.service import analyse_journey
from carlzon.ingest import Channel, FeedbackRecord
from carlzon.journeys import load_template
from carlzon.storage import Store

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
YESTERDAY = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SLOW = "上菜太慢了，等了一个小时，太差了"
FAST = "上菜很快，服务热情，味道很好"
RULES = """\
journey: catering
notify:
  kitchen: {type: slack, url: "http://127.0.0.1:9/slack"}
alerts:
  - id: negative-spike
    kind: negative_spike
    history: 28
    min_negative: 5
    z_above: 3
    then: {priority: high, notify: [kitchen]}
  - id: store-nps
    kind: nps_below
    below: 0
    over: 30d
    min_responses: 20
rules:
  - {id: any, name: Anything, when: {severity: critical}}
"""


_IDS = itertools.count()


def _record(text: str, place: str, at: datetime, nps: int | None = None) -> FeedbackRecord:
    return FeedbackRecord(
        source="alerts.csv",
        external_id=f"{place}-{at.isoformat()}-{next(_IDS)}",
        channel=Channel.APP_REVIEW,
        brand="Own",
        text=text,
        location=place,
        created_at=at,
        nps=nps,
    )


def _history(store: Store) -> Store:
    store.save_journey(load_template("catering"))
    records = []
    for day in range(2, 30):  # four weeks: about one slow-serving complaint a day at S01 and S02
        at = YESTERDAY - timedelta(days=day - 1)
        records += [_record(SLOW if day % 3 else FAST, place, at) for place in ("S01", "S02")]
        records.append(_record(FAST, "S01", at))
    records += [_record(SLOW, "S01", YESTERDAY + timedelta(minutes=m)) for m in range(9)]  # the spike
    records += [_record(SLOW, "S02", YESTERDAY + timedelta(minutes=m)) for m in range(3)]  # too few
    records += [_record("服务一般", "S03", YESTERDAY, nps=n % 5) for n in range(20)]  # NPS -100
    records += [_record("不错", "S04", YESTERDAY, nps=9) for _ in range(5)]  # too few answers
    store.add_feedback(records)
    analyse_journey(store=store, journey_id="catering")
    return store


def test_the_robust_z_score_ignores_one_bad_day_in_the_history() -> None:
    history = np.array([1, 2, 1, 3, 0, 2, 30, 1, 2, 4], dtype=float)  # one outlier
    z, median, spread = robust_z(9, history)
    assert median == 2 and spread == pytest.approx(1.4826) and z == pytest.approx(7 / 1.4826)
    assert (9 - history.mean()) / history.std() < 1  # a mean and standard deviation would miss it
    assert robust_z(2, np.zeros(28))[0] == 2  # quiet history: the spread floors at one complaint


def test_a_spike_and_a_low_nps_fire_once_with_their_reasons(store: Store) -> None:
    _history(store)
    rules = parse_rules(RULES, journey=store.get_journey("catering"))
    dry = check_alerts(store=store, rules=rules, now=NOW, dry_run=True)
    assert store.list_tasks() == []  # a dry run writes nothing
    fired = {(f.alert_id, f.location): f for f in dry.fired}
    assert set(fired) == {("negative-spike", "S01"), ("store-nps", "S03")}  # S02: 3 < 5; S04: 5 answers < 20
    spike = fired[("negative-spike", "S01")]
    assert spike.touchpoint_id == "serving_time" and spike.value == 9 and spike.baseline == 1
    assert "9 negative mentions" in spike.reason and "robust z" in spike.reason and "at S01" in spike.reason
    assert "NPS -100" in fired[("store-nps", "S03")].reason

    report = check_alerts(store=store, rules=rules, now=NOW)
    tasks = {t.rule_id: t for t in store.list_tasks()}
    assert set(tasks) == {"alert:negative-spike", "alert:store-nps"}
    kitchen = tasks["alert:negative-spike"]
    assert kitchen.department == load_template("catering").touchpoint("serving_time").owner
    assert kitchen.location == "S01" and kitchen.priority.value == "high" and "alert" in kitchen.tags
    [notice] = store.list_notices(task_id=kitchen.id)
    assert notice.event_type == "alert.fired" and "robust z" in notice.payload["data"]["reason"]
    assert all(f.task_id for f in report.fired)
    # The same period again (the worker checks often): nothing new.
    assert check_alerts(store=store, rules=rules, now=NOW + timedelta(hours=3)).fired == []


def test_an_unknown_alert_kind_is_refused_with_its_line(sqlite_store: Store) -> None:
    from carlzon.errors import RulesFileError

    with pytest.raises(RulesFileError, match=r"<string>:6: alerts\[0\].kind"):
        parse_rules(RULES.replace("kind: negative_spike", "kind: spike"))


def test_the_cli_says_what_fired_and_why(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.cli.test_cli import carlzon

    store = Store.from_url(f"sqlite:///{tmp_path / 'ws' / 'carlzon.db'}")
    store.upgrade()
    _history(store)
    store.dispose()
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    env = {"CARLZON_WORKSPACE": str(tmp_path / "ws")}
    result = carlzon("alerts", "check", str(rules), "--dry-run", cwd=tmp_path, env=env)
    # Run now, four weeks of history lie in the past: yesterday's spike is long gone, so it is
    # the NPS floor (30 days back from today) or nothing; either way a clear line, no traceback.
    assert result.returncode == 0, result.stderr
    assert "alerts checked" in result.stdout and "(dry run)" in result.stdout
