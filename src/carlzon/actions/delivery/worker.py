"""The worker: claim due notices, send them, record every attempt, retry on the schedule, and
dead-letter what runs out of retries. ``carlzon worker`` loops over ``run_pass``; ``--once`` runs
one pass (for cron).

At least once, never lost: a notice leaves the queue only when its receiver said 2xx (or it is
dead-lettered, from where ``carlzon deliveries retry`` brings it back). A worker killed between
sending and recording sends it again after its lease; receivers de-duplicate by ``webhook-id``.
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from carlzon.actions.alerting import check_alerts
from carlzon.actions.channels import ROBOTS, Delivery, NotifyChannel
from carlzon.actions.delivery.senders import Outcome, send_emails, send_robot, send_webhook
from carlzon.actions.escalation import SlaReport, check_sla
from carlzon.actions.models import DeliveryAttempt, Notice, NoticeStatus
from carlzon.actions.rules import RuleSet
from carlzon.actions.service import apply_rules
from carlzon.config import Settings
from carlzon.storage import Store
from carlzon.storage.outbox import AttemptResult, EndpointState

log = logging.getLogger("carlzon.worker")
LEASE = timedelta(seconds=60)
BATCH = 200
SENDERS = 8  # concurrent webhook requests: receivers answer in ms, the database is the bottleneck
RATE_WINDOW = timedelta(minutes=1)
CONFIG_RECHECK = timedelta(minutes=5)  # a channel missing from the file, or its secret unset: look again then


@dataclass
class PassReport:
    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    dead: int = 0
    deferred: int = 0
    digests: int = 0
    sla: SlaReport | None = None
    alerts: int = 0  # alerts fired (each opened a task)
    fed: int = 0  # records the feeders brought in first (with follow): abandoned survey answers
    analysed: int = 0  # new records analysed (with follow)
    opened: int = 0  # tasks the rules opened from them
    errors: list[str] = field(default_factory=list)

    def add(self, other: PassReport) -> None:
        for name in ("claimed", "delivered", "retrying", "dead", "deferred", "digests"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def next_attempt(delivery: Delivery, attempts_done: int, now: datetime, outcome: Outcome) -> datetime | None:
    """When to try again after ``attempts_done`` failed attempts (None: out of retries → dead).
    The wait varies by the jitter so a recovered receiver is not hit by every retry at once;
    a receiver's Retry-After is a minimum."""
    if attempts_done > len(delivery.retries):
        return None
    wait = delivery.retries[attempts_done - 1]
    wait *= 1 + delivery.jitter * random.uniform(-1, 1)
    if outcome.retry_after is not None:
        wait = max(wait, outcome.retry_after)
    return now + wait


class Deliverer:
    """One worker's delivery state: the HTTP client (kept alive between passes) and settings."""

    def __init__(self, store: Store, ruleset: RuleSet, settings: Settings, *, lease: timedelta = LEASE) -> None:
        self.store, self.ruleset, self.settings, self.lease = store, ruleset, settings, lease
        timeout = ruleset.delivery.timeout.total_seconds()
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, limits=httpx.Limits(max_connections=32))
        self.pool = ThreadPoolExecutor(SENDERS, thread_name_prefix="carlzon-send")

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.client.close()

    def __enter__(self) -> Deliverer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def deliver_due(self, now: datetime | None = None, *, batch: int = BATCH) -> PassReport:
        """Claim and send one batch of due notices."""
        now = now or datetime.now(UTC)
        notices = self.store.claim_notices(now, lease=self.lease, limit=batch)
        report = PassReport(claimed=len(notices))
        if not notices:
            return report
        states = self.store.endpoint_states()
        by_channel: dict[str, list[Notice]] = defaultdict(list)
        for notice in notices:
            by_channel[notice.channel].append(notice)
        results: list[AttemptResult] = []
        for name, group in by_channel.items():
            results += self._deliver_channel(name, group, states.get(name), now, report)
        self.store.record_deliveries(results, datetime.now(UTC))
        for result in results:
            if result.status is NoticeStatus.DELIVERED:
                report.delivered += 1
            elif result.status is NoticeStatus.DEAD:
                report.dead += 1
            elif result.attempt is None:
                report.deferred += 1
            else:
                report.retrying += 1
        return report

    # -- per channel ---------------------------------------------------------------------------

    def _deliver_channel(
        self, name: str, notices: list[Notice], state: EndpointState | None, now: datetime, report: PassReport
    ) -> list[AttemptResult]:
        channel = self.ruleset.notify.get(name)
        if channel is None:
            problem = (
                f"channel '{name}' is not in the notify section of the rules file the worker reads; its notices wait "
                "(untried) until it is added"
            )
            return self._waiting(notices, problem, now, report)
        if state is not None and state.disabled_at is not None:
            problem = f"endpoint disabled since {state.disabled_at:%Y-%m-%d %H:%M} ({state.disabled_reason})"
            return [AttemptResult(n.id, NoticeStatus.DEAD, n.next_attempt_at, None, problem) for n in notices]
        if state is not None and state.paused_until is not None and state.paused_until > now:
            return [AttemptResult(n.id, NoticeStatus.PENDING, state.paused_until, None, n.last_error) for n in notices]
        missing = channel.missing_environment()
        if missing:
            problem = (
                f"set the environment variable {', '.join(missing)} for channel '{name}'; its notices wait (untried) "
                "until it is set"
            )
            return self._waiting(notices, problem, now, report)
        if channel.type == "webhook":
            outcomes = list(self.pool.map(lambda n: send_webhook(self.client, channel, n, now), notices))
            return self._results(name, notices, outcomes, now)
        if channel.type == "email":
            return self._results(name, notices, send_emails(self.settings, channel, notices), now)
        assert channel.type in ROBOTS
        return self._deliver_robot(name, channel, notices, now, report)

    @staticmethod
    def _waiting(notices: list[Notice], problem: str, now: datetime, report: PassReport) -> list[AttemptResult]:
        """A set-up problem (a channel not defined, a secret not set) is not the receiver's fault:
        the notices are put back untried, with the problem as their last error, and tried again
        after CONFIG_RECHECK, so fixing the set-up delivers them without a retry command."""
        report.errors.append(problem)
        return [AttemptResult(n.id, NoticeStatus.PENDING, now + CONFIG_RECHECK, None, problem) for n in notices]

    def _deliver_robot(
        self, name: str, channel: NotifyChannel, notices: list[Notice], now: datetime, report: PassReport
    ) -> list[AttemptResult]:
        """Within the robot's rate (about 20 a minute): one message per notice while the budget
        lasts, the rest merged into one digest; none when the minute's budget is spent."""
        rate = channel.rate_per_minute or self.ruleset.delivery.robot_rate_per_minute
        budget = rate - self.store.attempts_since(name, now - RATE_WINDOW)
        if budget <= 0:
            resume = now + RATE_WINDOW / max(rate, 1)
            return [AttemptResult(n.id, NoticeStatus.PENDING, resume, None, n.last_error) for n in notices]
        singles, merged = (notices, []) if len(notices) <= budget else (notices[: budget - 1], notices[budget - 1 :])
        results: list[AttemptResult] = []
        for notice in singles:
            outcome = send_robot(self.client, channel, [notice], now)
            results += self._results(name, [notice], [outcome], now)
            if outcome.slow_down or outcome.gone:
                break
        else:
            if merged:
                report.digests += 1
                outcome = send_robot(self.client, channel, merged, now)
                return results + self._results(name, merged, [outcome] * len(merged), now, digest=True)
            return results
        sent = {r.notice_id for r in results}
        later = now + RATE_WINDOW
        return results + [
            AttemptResult(n.id, NoticeStatus.PENDING, later, None, n.last_error) for n in notices if n.id not in sent
        ]

    # -- outcomes ------------------------------------------------------------------------------

    def _results(
        self, name: str, notices: list[Notice], outcomes: list[Outcome], now: datetime, *, digest: bool = False
    ) -> list[AttemptResult]:
        at = datetime.now(UTC)
        results = []
        for notice, outcome in zip(notices, outcomes, strict=True):
            attempt = DeliveryAttempt(
                notice_id=notice.id,
                channel=name,
                at=at,
                ok=outcome.ok,
                status_code=outcome.status_code,
                error=outcome.error,
                duration_ms=outcome.duration_ms,
                digest=digest,
            )
            if outcome.ok:
                results.append(AttemptResult(notice.id, NoticeStatus.DELIVERED, notice.next_attempt_at, attempt))
            elif outcome.gone:
                results.append(
                    AttemptResult(notice.id, NoticeStatus.DEAD, notice.next_attempt_at, attempt, outcome.error)
                )
            else:
                results.append(self._failed(notice, outcome, now, attempt))
        if any(o.gone for o in outcomes):
            reason = next(o.error for o in outcomes if o.gone)
            self.store.set_endpoint_state(name, disabled_at=at, disabled_reason=reason)
            log.warning("channel %s disabled: %s", name, reason)
        elif any(o.slow_down for o in outcomes):
            waits = [o.retry_after for o in outcomes if o.slow_down and o.retry_after is not None]
            self.store.set_endpoint_state(name, paused_until=at + (max(waits) if waits else timedelta(seconds=30)))
        return results

    def _failed(
        self, notice: Notice, outcome: Outcome, now: datetime, attempt: DeliveryAttempt | None = None
    ) -> AttemptResult:
        attempt = attempt or DeliveryAttempt(
            notice_id=notice.id, channel=notice.channel, at=now, ok=False, error=outcome.error
        )
        when = next_attempt(self.ruleset.delivery, notice.attempts + 1, now, outcome)
        if when is None:
            error = f"dead after {notice.attempts + 1} attempts; last: {outcome.error}"
            return AttemptResult(notice.id, NoticeStatus.DEAD, notice.next_attempt_at, attempt, error)
        return AttemptResult(notice.id, NoticeStatus.PENDING, when, attempt, outcome.error)


Feeder = Callable[[Store], int]  # brings in feedback of its own before a follow check; returns records written


def run_pass(
    deliverer: Deliverer,
    *,
    now: datetime | None = None,
    check: bool = True,
    follow: bool = False,
    feeders: Sequence[Feeder] = (),
) -> PassReport:
    """One pass: with ``check``, the SLA check (escalations write notices) and the alerts, and with
    ``follow`` first the new feedback analysed and the rules applied to it (so feedback pushed
    through the API becomes a task, and its notice, within one check interval); then deliver
    until nothing is due. ``feeders`` run first in a follow check (the layers above know what
    they hold: the survey page's abandoned answers)."""
    report = PassReport()
    if check and follow:
        _feed(deliverer.store, feeders, report)
        _follow_new_feedback(deliverer, report, now)
    if check:
        report.sla = check_sla(store=deliverer.store, rules=deliverer.ruleset, now=now)
        if deliverer.ruleset.alerts:
            report.alerts = len(check_alerts(store=deliverer.store, rules=deliverer.ruleset, now=now).fired)
    while True:
        batch = deliverer.deliver_due(now)
        report.add(batch)
        if batch.claimed < BATCH or batch.delivered + batch.retrying + batch.dead == 0:
            return report


def _feed(store: Store, feeders: Sequence[Feeder], report: PassReport) -> None:
    from carlzon.errors import CarlzonError

    for feeder in feeders:
        try:
            report.fed += feeder(store)
        except CarlzonError as exc:  # said, and the check goes on
            report.errors.append(f"bringing in feedback ({getattr(feeder, '__name__', 'feeder')}): {exc}")


def _follow_new_feedback(deliverer: Deliverer, report: PassReport, now: datetime | None) -> None:
    """Analyse what is new under the rules' journey (incremental) and apply the rules to it."""
    from carlzon.analysis.service import analyse_journey
    from carlzon.errors import CarlzonError

    ruleset = deliverer.ruleset
    try:
        report.analysed = analyse_journey(store=deliverer.store, journey_id=ruleset.journey).records
        applied = apply_rules(store=deliverer.store, rules=ruleset, now=now)
    except CarlzonError as exc:  # e.g. nothing stored yet: say it, keep delivering
        report.errors.append(f"analysing and applying the rules: {exc}")
        return
    report.opened = sum(len(rule.created) for rule in applied.rules)


def run_worker(
    deliverer: Deliverer,
    *,
    interval: float = 2.0,
    sla_every: float = 60.0,
    should_stop: Callable[[], bool] = lambda: False,
    on_pass: Callable[[PassReport], None] | None = None,
    follow: bool = False,
    feeders: Sequence[Feeder] = (),
) -> None:
    """Loop until ``should_stop``: deliver every ``interval`` seconds; every ``sla_every`` check the
    SLAs and alerts (and, with ``follow``, analyse new feedback and apply the rules first)."""
    last_check = 0.0
    while not should_stop():
        check = time.monotonic() - last_check >= sla_every
        report = run_pass(deliverer, check=check, follow=follow, feeders=feeders)
        if check:
            last_check = time.monotonic()
        if on_pass is not None:
            on_pass(report)
        if report.claimed == 0:
            deadline = time.monotonic() + interval
            while time.monotonic() < deadline and not should_stop():
                time.sleep(min(0.2, interval))
