"""One HTTP request (or e-mail) per message, and what its answer means for each kind of receiver.

Only 2xx counts as delivered (redirects are not followed: a 3xx is a failure), 410 means the
receiver wants no more (the endpoint is disabled), 429/502/504 ask us to slow down (honouring
``Retry-After``). Robots answer 200 with an error code in the body: DingTalk and WeCom
``errcode`` ≠ 0, Feishu ``code`` ≠ 0, Slack a body other than ``ok``.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

import httpx

from carlzon.actions.channels import NotifyChannel
from carlzon.actions.delivery.signing import dingtalk_sign, feishu_sign, webhook_signature
from carlzon.actions.models import Notice
from carlzon.actions.notices import digest_text, notice_text
from carlzon.config import Settings

SLOW_DOWN = frozenset({429, 502, 504})
# Robots' "too many messages" codes: DingTalk 130101, Feishu 9499/11232, WeCom 45009.
ROBOT_RATE_CODES = frozenset({130101, 9499, 11232, 45009})


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    retry_after: timedelta | None = None
    slow_down: bool = False
    gone: bool = False
    duration_ms: float = 0.0


def retry_after(value: str | None, now: datetime) -> timedelta | None:
    """``Retry-After`` as seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return max(when - now, timedelta(0))


def _http_outcome(response: httpx.Response, started: float, now: datetime) -> Outcome:
    elapsed = (time.perf_counter() - started) * 1000
    code = response.status_code
    if 200 <= code < 300:
        return Outcome(True, code, duration_ms=elapsed)
    reason = f"HTTP {code} {response.reason_phrase}".strip()
    if code == 410:
        return Outcome(
            False, code, f"{reason}: the receiver asked for no more; endpoint disabled", gone=True, duration_ms=elapsed
        )
    slow = code in SLOW_DOWN
    return Outcome(
        False,
        code,
        reason,
        retry_after=retry_after(response.headers.get("retry-after"), now),
        slow_down=slow,
        duration_ms=elapsed,
    )


def _robot_body_outcome(kind: str, response: httpx.Response, outcome: Outcome) -> Outcome:
    """A 200 from a robot is delivered only when its body says so."""
    if not outcome.ok:
        return outcome
    if kind == "slack":
        text = response.text.strip()
        return (
            outcome
            if text in ("ok", "")
            else Outcome(False, outcome.status_code, f"slack answered {text[:200]!r}", duration_ms=outcome.duration_ms)
        )
    try:
        body = response.json()
    except ValueError:
        return Outcome(
            False,
            outcome.status_code,
            f"{kind} answered something other than JSON: {response.text[:200]!r}",
            duration_ms=outcome.duration_ms,
        )
    code = body.get("errcode") if kind in ("dingtalk", "wecom") else body.get("code", body.get("StatusCode"))
    if code == 0:
        return outcome
    message = body.get("errmsg") or body.get("msg") or body.get("StatusMessage") or ""
    return Outcome(
        False,
        outcome.status_code,
        f"{kind} error code {code}: {message}"[:300],
        slow_down=code in ROBOT_RATE_CODES,
        duration_ms=outcome.duration_ms,
    )


def send_webhook(client: httpx.Client, channel: NotifyChannel, notice: Notice, now: datetime) -> Outcome:
    """POST the notice's payload in the Standard Webhooks format."""
    url, secret = channel.resolved_url(), channel.secret()
    assert url and secret, "checked by the caller: missing_environment()"
    body = json.dumps(notice.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "webhook-id": notice.msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": webhook_signature(secret, notice.msg_id, timestamp, body),
        "user-agent": "carlzon-webhooks",
    }
    started = time.perf_counter()
    try:
        response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return _transport_error(exc, started)
    return _http_outcome(response, started, now)


def _transport_error(exc: Exception, started: float) -> Outcome:
    return Outcome(
        False, None, f"{type(exc).__name__}: {exc}"[:300], duration_ms=(time.perf_counter() - started) * 1000
    )


def robot_request(channel: NotifyChannel, title: str, text: str) -> tuple[str, dict[str, object]]:
    """The URL and JSON body of a robot message, signed as that robot wants."""
    url = channel.resolved_url()
    assert url, "checked by the caller: missing_environment()"
    secret = channel.secret()
    if channel.type == "dingtalk":
        if secret:
            timestamp_ms = int(time.time() * 1000)
            url += ("&" if "?" in url else "?") + f"timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"
        return url, {"msgtype": "markdown", "markdown": {"title": title, "text": text.replace("\n", "\n\n")}}
    if channel.type == "feishu":
        body: dict[str, object] = {"msg_type": "text", "content": {"text": text}}
        if secret:
            timestamp_s = int(time.time())
            body = {"timestamp": str(timestamp_s), "sign": feishu_sign(secret, timestamp_s), **body}
        return url, body
    if channel.type == "wecom":
        return url, {"msgtype": "markdown", "markdown": {"content": text}}
    return url, {"text": text}  # slack


def send_robot(client: httpx.Client, channel: NotifyChannel, notices: list[Notice], now: datetime) -> Outcome:
    """One robot message: the notice, or a digest of several."""
    if len(notices) == 1:
        title, text = notice_text(notices[0].payload, channel.language)
    else:
        title, text = digest_text([n.payload for n in notices], channel.language)
    url, body = robot_request(channel, title, text)
    started = time.perf_counter()
    try:
        response = client.post(url, json=body)
    except httpx.HTTPError as exc:
        return _transport_error(exc, started)
    return _robot_body_outcome(channel.type, response, _http_outcome(response, started, now))


def send_emails(settings: Settings, channel: NotifyChannel, notices: list[Notice]) -> list[Outcome]:
    """Each notice as one e-mail over one SMTP session (STARTTLS, SSL or plain, from settings)."""
    if not settings.smtp_host:
        return [Outcome(False, None, "no SMTP server: set CARLZON_SMTP_HOST (and CARLZON_SMTP_PORT)")] * len(notices)
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    try:
        with _smtp(settings) as smtp:
            for notice in notices:
                title, text = notice_text(notice.payload, channel.language)
                message = EmailMessage()
                message["Subject"], message["From"], message["To"] = title, settings.smtp_from, ", ".join(channel.to)
                message["Message-ID"] = f"<{notice.msg_id}@carlzon>"  # the receiver's idempotency key
                message.set_content(text)
                one = time.perf_counter()
                try:
                    smtp.send_message(message)
                    outcomes.append(Outcome(True, 250, duration_ms=(time.perf_counter() - one) * 1000))
                except smtplib.SMTPException as exc:
                    outcomes.append(Outcome(False, getattr(exc, "smtp_code", None), f"SMTP: {exc}"[:300]))
    except (OSError, smtplib.SMTPException) as exc:
        error = _transport_error(exc, started)
        outcomes += [error] * (len(notices) - len(outcomes))
    return outcomes


def _smtp(settings: Settings) -> smtplib.SMTP:
    host, port, timeout = settings.smtp_host or "", settings.smtp_port, settings.smtp_timeout
    if settings.smtp_security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        if settings.smtp_security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    if settings.smtp_username:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
        smtp.login(settings.smtp_username, password)
    return smtp
