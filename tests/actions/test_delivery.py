"""Delivery against real receivers on loopback: Standard Webhooks signatures and de-duplication,
retries on the schedule, dead-letter and re-queue, 410 and 429, robots' signatures, error codes
and rate limits (digests), and e-mail through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import base64
import secrets
import socket
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

import pytest

from carlzon.actions.delivery.signing import verify_webhook, webhook_signature
from carlzon.actions.delivery.worker import Deliverer, run_pass
from carlzon.actions.models import NoticeDraft, Priority, Task
from carlzon.actions.notices import task_payload
from carlzon.actions.rules import parse_rules
from carlzon.config import Settings
from carlzon.journeys import load_template
from carlzon.storage import Store
from tests.actions.receivers import Receiver, serving

T0 = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
SECRET_ENV = "CARLZON_TEST_HOOK_SECRET"


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def rules_for(channels: str, retries: str = "[1s, 1s, 1s]") -> str:
    return f"""\
journey: catering
notify:
{channels}
delivery: {{retries: {retries}, jitter: 0}}
rules:
  - id: any
    name: Anything
"""


def add_tasks(store: Store, channel: str, count: int = 1, title: str = "油腻，有头发") -> list[int]:
    store.save_journey(load_template("catering"))
    ids = []
    for i in range(count):
        task = Task(
            journey_id="catering",
            touchpoint_id="serving_time",
            title=f"{title} {i}",
            department="Kitchen",
            priority=Priority.HIGH,
            created_at=T0,
        )
        stored = store.add_task(
            task, notices=lambda t: [NoticeDraft(channel, "task.created", task_payload("task.created", t, T0))]
        )
        ids.append(stored.id)
    return ids


def deliverer(store: Store, rules: str) -> Deliverer:
    return Deliverer(store, parse_rules(rules), Settings(), lease=timedelta(seconds=30))


def test_the_signature_is_the_standard_webhooks_one() -> None:
    # The example of the Standard Webhooks specification (its reference implementations' test).
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    signature = webhook_signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert verify_webhook(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", body, signature)
    assert not verify_webhook(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265331", body, signature)


def test_a_webhook_arrives_signed_and_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = new_secret(), new_secret()
    monkeypatch.setenv(SECRET_ENV, f"{new} {old}")  # rotating: both sign; the receiver knows the old one
    with serving(Receiver("webhook", secret=old)) as (hook,):
        add_tasks(store, "hook", count=3)
        rules = rules_for(f"  hook: {{type: webhook, url: '{hook.url}', secret_env: {SECRET_ENV}}}")
        with deliverer(store, rules) as worker:
            report = run_pass(worker, now=T0, check=False)
            again = run_pass(worker, now=T0 + timedelta(minutes=1), check=False)
    assert (report.delivered, report.retrying, hook.rejected) == (3, 0, [])
    assert again.claimed == 0  # delivered notices are not sent again
    assert sorted(m["data"]["title"] for m in hook.received) == ["油腻，有头发 0", "油腻，有头发 1", "油腻，有头发 2"]
    assert {m["type"] for m in hook.received} == {"task.created"}
    assert hook.unique() == {n.msg_id for n in store.list_notices()}
    assert all(n.status.value == "delivered" for n in store.list_notices())


def test_a_receiver_failing_three_times_then_gets_it_and_one_always_failing_is_dead_lettered(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = new_secret()
    monkeypatch.setenv(SECRET_ENV, secret)
    flaky, broken = (
        Receiver("webhook", secret=secret, fail_with=[500, 503, 302]),
        Receiver("webhook", secret=secret, always=500),
    )
    with serving(flaky, broken):
        [flaky_task] = add_tasks(sqlite_store, "flaky")
        [broken_task] = add_tasks(sqlite_store, "broken")
        rules = rules_for(
            f"  flaky: {{type: webhook, url: '{flaky.url}', secret_env: {SECRET_ENV}}}\n"
            f"  broken: {{type: webhook, url: '{broken.url}', secret_env: {SECRET_ENV}}}"
        )
        with deliverer(sqlite_store, rules) as worker:
            now = T0
            for _ in range(6):
                run_pass(worker, now=now, check=False)
                now += timedelta(seconds=2)  # past each 1 s retry
        [flaky_notice] = sqlite_store.list_notices(task_id=flaky_task)
        [broken_notice] = sqlite_store.list_notices(task_id=broken_task)
        assert flaky_notice.status.value == "delivered" and len(flaky.received) == 1
        attempts = sqlite_store.delivery_attempts([flaky_notice.id, broken_notice.id])
        assert [a.status_code for a in attempts[flaky_notice.id]] == [500, 503, 302, 200]  # a redirect is a failure
        assert broken_notice.status.value == "dead" and broken_notice.attempts == 4  # first try + 3 retries
        assert "dead after 4 attempts" in (broken_notice.last_error or "")

        # The receiver is fixed; `deliveries retry` re-queues the dead letter and it arrives.
        broken.always = None
        requeued = sqlite_store.requeue_notices(None, now)
        assert [n.id for n in requeued] == [broken_notice.id]
        with deliverer(sqlite_store, rules) as worker:
            run_pass(worker, now=now, check=False)
        assert len(broken.received) == 1
        assert sqlite_store.list_notices(task_id=broken_task)[0].status.value == "delivered"


def test_410_disables_the_endpoint_and_429_slows_down(sqlite_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = new_secret()
    monkeypatch.setenv(SECRET_ENV, secret)
    gone = Receiver("webhook", secret=secret, always=410)
    busy = Receiver("webhook", secret=secret, fail_with=[429], headers={"Retry-After": "120"})
    with serving(gone, busy):
        add_tasks(sqlite_store, "gone", count=2)
        [busy_task] = add_tasks(sqlite_store, "busy")
        rules = rules_for(
            f"  gone: {{type: webhook, url: '{gone.url}', secret_env: {SECRET_ENV}}}\n"
            f"  busy: {{type: webhook, url: '{busy.url}', secret_env: {SECRET_ENV}}}"
        )
        with deliverer(sqlite_store, rules) as worker:
            run_pass(worker, now=T0, check=False)
            states = sqlite_store.endpoint_states()
            assert states["gone"].disabled_at is not None and "410" in (states["gone"].disabled_reason or "")
            assert all(n.status.value == "dead" for n in sqlite_store.list_notices(channel="gone"))
            [waiting] = sqlite_store.list_notices(task_id=busy_task)
            assert waiting.status.value == "pending" and waiting.next_attempt_at >= T0 + timedelta(seconds=119)
            # Before Retry-After has passed nothing is sent; after it, the notice arrives.
            run_pass(worker, now=T0 + timedelta(seconds=60), check=False)
            assert busy.received == []
            run_pass(worker, now=datetime.now(UTC) + timedelta(seconds=121), check=False)
        assert len(busy.received) == 1


def test_robots_are_signed_and_their_error_codes_are_failures(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARLZON_TEST_DING_SECRET", "SECd1ngtalk")
    monkeypatch.setenv("CARLZON_TEST_FEISHU_SECRET", "fe1shu-secret")
    ding = Receiver("dingtalk", secret="SECd1ngtalk")
    feishu = Receiver("feishu", secret="fe1shu-secret", fail_with=[19021])  # a body error code first
    wecom = Receiver("wecom", key="k3y", fail_with=[93000])
    slack = Receiver("slack")
    with serving(ding, feishu, wecom, slack):
        monkeypatch.setenv("CARLZON_TEST_WECOM_URL", wecom.url)
        for name in ("ding", "feishu", "wecom", "slack"):
            add_tasks(sqlite_store, name)
        rules = rules_for(
            f"  ding: {{type: dingtalk, url: '{ding.url}', secret_env: CARLZON_TEST_DING_SECRET}}\n"
            f"  feishu: {{type: feishu, url: '{feishu.url}', secret_env: CARLZON_TEST_FEISHU_SECRET, language: en}}\n"
            "  wecom: {type: wecom, url_env: CARLZON_TEST_WECOM_URL}\n"
            f"  slack: {{type: slack, url: '{slack.url}'}}"
        )
        with deliverer(sqlite_store, rules) as worker:
            run_pass(worker, now=T0, check=False)
            run_pass(worker, now=T0 + timedelta(seconds=2), check=False)
    assert [r.rejected for r in (ding, feishu, wecom, slack)] == [[], [], [], []]
    assert ding.received[0]["msgtype"] == "markdown" and "油腻，有头发 0" in ding.received[0]["markdown"]["text"]
    assert "New task" in feishu.received[0]["content"]["text"]  # language: en
    assert "新任务" in wecom.received[0]["markdown"]["content"] and "新任务" in slack.received[0]["text"]
    errors = {n.channel: n for n in sqlite_store.list_notices()}
    attempts = sqlite_store.delivery_attempts([errors["feishu"].id, errors["wecom"].id])
    assert "error code 19021" in (attempts[errors["feishu"].id][0].error or "")
    assert "error code 93000" in (attempts[errors["wecom"].id][0].error or "")
    assert all(n.status.value == "delivered" for n in errors.values())


def test_a_burst_over_a_robots_rate_becomes_one_digest(sqlite_store: Store) -> None:
    slack = Receiver("slack")
    with serving(slack):
        add_tasks(sqlite_store, "slack", count=12)
        rules = rules_for(f"  slack: {{type: slack, url: '{slack.url}', rate_per_minute: 5}}")
        with deliverer(sqlite_store, rules) as worker:
            report = run_pass(worker, now=T0, check=False)
            more = add_tasks(sqlite_store, "slack", count=1)
            later = run_pass(worker, now=T0, check=False)  # the minute's 5 messages are spent: it waits
    assert (report.delivered, report.digests) == (12, 1)
    assert len(slack.received) == 5  # 4 single messages and one digest of the other 8
    assert slack.received[-1]["text"].startswith("8 条通知汇总")
    assert later.deferred == 1 and sqlite_store.list_notices(task_id=more[0])[0].status.value == "pending"


def test_email_through_a_real_smtp_server(sqlite_store: Store) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    inbox = []

    class Inbox(Message):
        def handle_message(self, message) -> None:  # type: ignore[no-untyped-def]
            inbox.append(message)

    with socket.socket() as probe:  # aiosmtpd needs a port number: take a free one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        add_tasks(sqlite_store, "mail", count=2)
        rules = parse_rules(rules_for("  mail: {type: email, to: [quality@example.com], language: zh}"))
        settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="plain", smtp_from="cx@example.com")
        with Deliverer(sqlite_store, rules, settings) as worker:
            report = run_pass(worker, now=T0, check=False)
    finally:
        controller.stop()
    assert report.delivered == 2 and len(inbox) == 2
    message = inbox[0]
    assert message["To"] == "quality@example.com" and message["From"] == "cx@example.com"
    assert (
        "新任务" in str(make_header(decode_header(message["Subject"])))
        and "Kitchen" in message.get_payload(decode=True).decode()
    )
    assert message["Message-ID"].startswith("<msg_")


def test_a_set_up_problem_keeps_notices_waiting_untried_until_it_is_fixed(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from carlzon.actions.delivery.worker import CONFIG_RECHECK

    monkeypatch.delenv(SECRET_ENV, raising=False)
    secret = new_secret()
    with serving(Receiver("webhook", secret=secret)) as (hook,):
        add_tasks(sqlite_store, "hook", count=2)
        add_tasks(sqlite_store, "nowhere", count=1, title="no channel")
        rules = rules_for(f"  hook: {{type: webhook, url: '{hook.url}', secret_env: {SECRET_ENV}}}", retries="[1s]")
        with deliverer(sqlite_store, rules) as worker:
            first = run_pass(worker, now=T0, check=False)
            # Many passes later (well past the retry schedule) nothing is dead-lettered.
            for minutes in range(1, 30):
                run_pass(worker, now=T0 + timedelta(minutes=minutes), check=False)
            waiting = sqlite_store.list_notices()
            monkeypatch.setenv(SECRET_ENV, secret)
            fixed = run_pass(worker, now=T0 + timedelta(minutes=30) + CONFIG_RECHECK, check=False)
    assert first.delivered == 0 and first.deferred == 3
    assert any(f"set the environment variable {SECRET_ENV}" in e for e in first.errors)
    assert any("'nowhere' is not in the notify section" in e for e in first.errors)
    assert {n.status.value for n in waiting} == {"pending"} and all(n.attempts == 0 for n in waiting)
    assert fixed.delivered == 2 and len(hook.received) == 2
