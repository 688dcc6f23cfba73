"""`rules test`: a dry run of a rules file over stored, analysed feedback; nothing is written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from carlzon.actions.rules import parse_rules
from carlzon.actions.service import dry_run_rules, parse_since
from carlzon.analysis.service import analyse_journey
from carlzon.ingest import Channel, FeedbackRecord
from carlzon.journeys import load_template
from carlzon.storage import Store
from tests.cli.test_cli import carlzon

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
RULES = """\
journey: catering
rules:
  - id: quality-warning
    name: Food safety and product-quality warnings go to the quality team at once
    when: {severity: critical}
    then: {task: {department: Quality}, priority: critical}
  - id: slow-serving
    name: Slow serving in a store
    when: {touchpoint: serving_time, sentiment_at_most: -0.3}
    then: {priority: high}
    dedupe_within: 7d
  - id: repeat-complainer
    name: A customer who complains again within 30 days
    when: {sentiment_at_most: -0.3, repeat_within: 30d}
    then: {priority: high, recovery: true}
  - id: rude-en
    name: Rude staff, in English
    when: {keywords: [rude], channel: app_review, nps_at_most: 6}
"""
FEEDBACK = [
    # (text, customer, store, days before NOW, nps)
    ("菜里吃出了一根头发，还有异物，食品安全太差了，我要投诉到12315", "c1", "S01", 1, 0),
    ("上菜太慢了，等了一个小时，太差了", "c2", "S01", 3, 3),
    ("上菜太慢了，催了三次都没用，很生气", "c3", "S01", 2, 2),  # same store within 7 days: joins the task
    ("上菜太慢了，等得饿死了，太差了", "c4", "S01", 20, 4),  # two weeks earlier: a new task
    ("服务员态度很差，再也不来了", "c2", "S02", 1, 1),  # c2 complained 3 days before
    ("The waiter was rude and ignored us for twenty minutes", "c5", "S03", 1, 2),
    ("The waiter was rude but the food was fine", "c6", "S03", 1, 9),  # nps 9: not below 6
    ("味道很好，服务热情，下次还来", "c7", "S01", 1, 10),
    ("上菜太慢了，等了一个小时，太差了", "c8", "S01", 90, 3),  # outside --since 30d
]


def _store_with_feedback(store: Store) -> Store:
    store.save_journey(load_template("catering"))
    store.add_feedback(
        [
            FeedbackRecord(
                source="dry.csv",
                external_id=str(i),
                channel=Channel.APP_REVIEW,
                brand="Own",
                text=text,
                customer_id=customer,
                location=place,
                created_at=NOW - timedelta(days=days),
                nps=nps,
            )
            for i, (text, customer, place, days, nps) in enumerate(FEEDBACK)
        ]
    )
    analyse_journey(store=store, journey_id="catering")
    return store


def test_each_rule_counts_its_matches_and_the_tasks_it_would_open(store: Store) -> None:
    _store_with_feedback(store)
    rules = parse_rules(RULES, journey=store.get_journey("catering"))
    tasks_before = len(store.list_tasks())
    report = dry_run_rules(store=store, rules=rules, since=NOW - timedelta(days=30))
    assert report.records == 8  # the 90-day-old record is outside the window
    by_id = {r.rule_id: r for r in report.rules}
    quality = by_id["quality-warning"]
    assert (quality.matches, quality.tasks, quality.department, quality.priority) == (1, 1, "Quality", "critical")
    assert any(reason.startswith("food safety") for reason in quality.samples[0].reasons)
    slow = by_id["slow-serving"]
    assert slow.matches == 3 and slow.tasks == 3  # three customers: one task each
    assert slow.department == load_template("catering").touchpoint("serving_time").owner
    repeat = by_id["repeat-complainer"]
    assert repeat.matches == 1 and "再也不来" in repeat.samples[0].text
    assert by_id["rude-en"].matches == 1
    assert report.by_severity["critical"] == 1
    assert len(store.list_tasks()) == tasks_before  # a dry run writes nothing
    assert report.to_dict()["rules"][0]["samples"][0]["severity"] == "critical"


def test_a_window_and_shared_keys_join_matches_into_one_task(sqlite_store: Store) -> None:
    """Without customer ids, matches of one touchpoint and store within the window share a task."""
    sqlite_store.save_journey(load_template("catering"))
    texts = ["上菜太慢了，太差了", "上菜太慢了，等了很久，太差了", "上菜太慢了，很失望"]
    sqlite_store.add_feedback(
        [
            FeedbackRecord(
                source="k.csv",
                external_id=str(i),
                channel=Channel.STORE,
                brand="Own",
                text=t,
                location="S09",
                created_at=NOW - timedelta(days=d),
            )
            for i, (t, d) in enumerate(zip(texts, (1, 3, 12), strict=True))
        ]
    )
    analyse_journey(store=sqlite_store, journey_id="catering")
    rules = parse_rules(RULES, journey=sqlite_store.get_journey("catering"))
    slow = next(r for r in dry_run_rules(store=sqlite_store, rules=rules).rules if r.rule_id == "slow-serving")
    assert (slow.matches, slow.tasks) == (3, 2)  # days 12 and (3, 1): the second joins the first


def test_since_reads_spans_and_dates() -> None:
    assert parse_since("30d", now=NOW) == NOW - timedelta(days=30)
    assert parse_since("12h", now=NOW) == NOW - timedelta(hours=12)
    assert parse_since("2026-11-01") == datetime(2026, 11, 1, tzinfo=UTC)
    assert parse_since(None) is None


def cli_workspace(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A workspace folder holding the analysed FEEDBACK, the RULES file, and the env to use it."""
    store = Store.from_url(f"sqlite:///{tmp_path / 'ws' / 'carlzon.db'}")
    store.upgrade()
    _store_with_feedback(store)
    store.dispose()
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    return rules, {"CARLZON_WORKSPACE": str(tmp_path / "ws")}


def test_the_cli_prints_the_table_or_json_and_says_a_bad_since(tmp_path: Path) -> None:
    rules, env = cli_workspace(tmp_path)
    table = carlzon("rules", "test", str(rules), "--since", "2000-01-01", cwd=tmp_path, env=env)
    assert table.returncode == 0, table.stderr
    assert "quality-warning" in table.stdout and "no task was written" in table.stdout
    assert "[critical]" in table.stdout
    as_json = carlzon("rules", "test", str(rules), "--since", "2000-01-01", "--json", cwd=tmp_path, env=env)
    assert '"rule_id": "slow-serving"' in as_json.stdout
    bad = carlzon("rules", "test", str(rules), "--since", "last tuesday", cwd=tmp_path, env=env)
    assert bad.returncode == 2 and "--since 'last tuesday'" in bad.stderr and "Traceback" not in bad.stderr


def test_text_severity_is_stored_by_analysis_and_refreshed_when_missing_or_stale(store: Store) -> None:
    from sqlalchemy import text

    from carlzon.analysis.severity import TERMS_VERSION, text_severity_ranks

    _store_with_feedback(store)

    def ranks() -> dict[int, int | None]:
        with store.engine.connect() as connection:
            rows = connection.execute(text("SELECT feedback_id, text_severity FROM analysis_results"))
            return {int(i): r for i, r in rows}

    analysed = ranks()
    assert sorted(analysed.values()).count(3) == 1 and None not in analysed.values()  # written by analyze
    assert store.refresh_text_severity(TERMS_VERSION, text_severity_ranks) == 0  # current: nothing to do
    with store.engine.begin() as connection:  # as if analysed before revision 0009
        connection.execute(text("UPDATE analysis_results SET text_severity = NULL"))
    assert store.refresh_text_severity(TERMS_VERSION, text_severity_ranks) == len(FEEDBACK)
    assert ranks() == analysed
    assert store.refresh_text_severity("next", text_severity_ranks) == len(FEEDBACK)  # new terms: all again
    assert store.refresh_text_severity("next", text_severity_ranks) == 0
