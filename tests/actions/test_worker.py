"""`carlzon worker` as a user runs it: killed with kill -9 mid-delivery, restarted, every notice
arrives at least once and the receiver de-duplicates; `deliveries list` and `retry` from the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from carlzon.storage import Store
from tests.actions.receivers import Receiver, serving
from tests.actions.test_delivery import SECRET_ENV, add_tasks, new_secret, rules_for
from tests.cli.test_cli import carlzon


def _workspace(tmp_path: Path, channels: str, count: int, retries: str = "[1s, 1s, 1s]") -> tuple[Path, Store]:
    workspace = tmp_path / "ws"
    store = Store.from_url(f"sqlite:///{workspace / 'carlzon.db'}")
    store.upgrade()
    add_tasks(store, "hook", count=count)
    (workspace / "rules.yaml").write_text(rules_for(channels, retries), encoding="utf-8")
    return workspace, store


def _wait_for(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_kill_9_mid_delivery_loses_nothing(tmp_path: Path) -> None:
    secret = new_secret()
    receiver = Receiver("webhook", secret=secret, delay=0.02)
    with serving(receiver):
        channel = f"  hook: {{type: webhook, url: '{receiver.url}', secret_env: {SECRET_ENV}}}"
        workspace, store = _workspace(tmp_path, channel, count=300)
        env = {**os.environ, "CARLZON_WORKSPACE": str(workspace), SECRET_ENV: secret}
        worker = subprocess.Popen(
            [sys.executable, "-m", "carlzon", "worker", "--interval", "0.1", "--lease", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            assert _wait_for(lambda: len(receiver.received) >= 40, 60), "the worker delivered nothing"
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
        at_kill = len(receiver.received)
        assert at_kill < 300, "killed too late to test anything: make the receiver slower"
        time.sleep(1.1)  # the killed worker's lease runs out
        restarted = carlzon("worker", "--once", "--lease", "1", cwd=tmp_path, env=env | {"COLUMNS": "200"})
        assert restarted.returncode == 0, restarted.stderr
    notices = store.list_notices(limit=1000)
    assert len(notices) == 300 and all(n.status.value == "delivered" for n in notices)
    assert receiver.unique() == {n.msg_id for n in notices}  # every notice arrived
    assert len(receiver.received) == 300  # and the receiver took each once (by webhook-id)
    assert sum(receiver.ids.values()) > 300  # of what the killed worker had sent, some came again
    assert receiver.rejected == []
    store.dispose()


def test_deliveries_list_and_retry_from_the_cli(tmp_path: Path) -> None:
    secret = new_secret()
    receiver = Receiver("webhook", secret=secret, always=500)
    with serving(receiver):
        channel = f"  hook: {{type: webhook, url: '{receiver.url}', secret_env: {SECRET_ENV}}}"
        workspace, store = _workspace(tmp_path, channel, count=1, retries="[]")  # no retries: dead at once
        env = {"CARLZON_WORKSPACE": str(workspace), SECRET_ENV: secret}
        first = carlzon("worker", "--once", "--json", cwd=tmp_path, env=env)
        assert first.returncode == 0, first.stderr
        assert json.loads(first.stdout)["dead"] == 1
        listed = carlzon("deliveries", "list", "--status", "dead", cwd=tmp_path, env=env)
        assert listed.returncode == 0 and "HTTP 500" in listed.stdout and "dead" in listed.stdout
        assert secret not in listed.stdout + first.stdout  # secrets are never printed
        receiver.always = None
        retried = carlzon("deliveries", "retry", cwd=tmp_path, env=env)
        assert retried.returncode == 0 and "1 notices re-queued" in retried.stdout
        second = carlzon("worker", "--once", "--json", cwd=tmp_path, env=env)
        assert json.loads(second.stdout)["delivered"] == 1 and len(receiver.received) == 1
        shown = json.loads(carlzon("deliveries", "list", "--json", cwd=tmp_path, env=env).stdout)
        assert [a["status_code"] for a in shown[0]["attempts_log"]] == [500, 200]
        missing = carlzon("deliveries", "retry", "99", cwd=tmp_path, env=env)
        assert missing.returncode != 0 and "no dead notice 99" in missing.stderr
    store.dispose()


@pytest.mark.parametrize("args", [["worker", "--once"], ["worker", "--once", "--rules", "nope.yaml"]])
def test_the_worker_without_a_rules_file_says_where_it_looked(tmp_path: Path, args: list[str]) -> None:
    result = carlzon(*args, cwd=tmp_path, env={"CARLZON_WORKSPACE": str(tmp_path / "ws")})
    assert result.returncode == 2 and "no rules file at" in result.stderr and "Traceback" not in result.stderr


def test_the_worker_turns_pushed_feedback_into_a_task_and_its_notice(tmp_path: Path) -> None:
    """Feedback pushed as the API does it, then one `carlzon worker --once`: analysed, matched by the
    rule, a task opened, its notice delivered — the closed loop without another command."""
    from carlzon.ingest.intake import intake_records
    from carlzon.journeys import load_template

    workspace = tmp_path / "ws"
    store = Store.from_url(f"sqlite:///{workspace / 'carlzon.db'}")
    store.upgrade()
    store.save_journey(load_template("catering"))
    secret = new_secret()
    with serving(Receiver("webhook", secret=secret)) as (hook,):
        rules = f"""\
journey: catering
notify:
  hook: {{type: webhook, url: '{hook.url}', secret_env: {SECRET_ENV}}}
rules:
  - id: food-safety
    name: Food safety goes to the quality team
    when: {{severity: critical}}
    then: {{task: {{department: Quality}}, priority: critical, notify: [hook]}}
"""
        (workspace / "rules.yaml").write_text(rules, encoding="utf-8")
        report = intake_records(
            [
                {"id": "p1", "text": "菜里吃出了虫子，食物中毒了，去了医院", "channel": "app_review"},
                {"id": "p2", "text": "服务很好，上菜也快", "channel": "app_review"},
            ],
            store=store,
        )
        assert report.imported == 2
        env = {SECRET_ENV: secret}
        done = carlzon("worker", "--once", "-w", str(workspace), cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stderr
        assert "2 new records analysed, 1 tasks opened" in done.stdout.replace("\n", " ")
        assert _wait_for(lambda: len(hook.received) == 1, 10)
    (task,) = store.list_tasks()
    assert task.department == "Quality" and task.rule_id == "food-safety"
    assert hook.received[0]["type"] == "task.created" and hook.received[0]["data"]["task_id"] == task.id
    store.dispose()
