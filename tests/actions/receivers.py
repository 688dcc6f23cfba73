"""Real HTTP receivers on loopback, shaped like the services Carlzon delivers to: a Standard
Webhooks endpoint that verifies signatures and de-duplicates by webhook-id, and DingTalk,
Feishu, WeCom and Slack robots that check their signatures and answer their error codes.
Each can be told to fail: a list of HTTP statuses (or robot error codes) to answer first."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote_plus, urlparse

from carlzon.actions.delivery.signing import dingtalk_sign, feishu_sign, verify_webhook


@dataclass
class Receiver:
    kind: str  # webhook, dingtalk, feishu, wecom, slack
    secret: str = ""
    key: str = ""  # WeCom's key in the URL
    fail_with: list[int] = field(default_factory=list)  # answers before succeeding (popped)
    always: int | None = None  # answer this for ever
    headers: dict[str, str] = field(default_factory=dict)  # sent with failures (Retry-After)
    delay: float = 0.0
    port: int = 0
    received: list[dict] = field(default_factory=list)  # accepted bodies, in order
    ids: Counter = field(default_factory=Counter)  # webhook-id → times accepted
    rejected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        base = f"http://127.0.0.1:{self.port}/hook"
        return (
            f"{base}?access_token=t0ken"
            if self.kind == "dingtalk"
            else (f"{base}?key={self.key}" if self.kind == "wecom" else base)
        )

    def unique(self) -> set[str]:
        return set(self.ids)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            body = self.rfile.read(length)
            if len(body) < length:  # the sender went away mid-request (kill -9): nothing arrived
                self.close_connection = True
                return
            if receiver.delay:
                time.sleep(receiver.delay)
            problem = self._check(body)
            if problem:
                with receiver.lock:
                    receiver.rejected.append(problem)
                self._answer(401 if receiver.kind == "webhook" else 200, self._error(310000, problem))
                return
            with receiver.lock:
                failure = receiver.fail_with.pop(0) if receiver.fail_with else receiver.always
            if failure is not None:
                if receiver.kind == "webhook" or (failure >= 300 and failure < 600):
                    self._answer(failure, "no", receiver.headers)
                else:
                    self._answer(200, self._error(failure, "robot refused"))
                return
            with receiver.lock:
                message = json.loads(body)
                if receiver.kind == "webhook":
                    msg_id = self.headers["webhook-id"]
                    receiver.ids[msg_id] += 1
                    if receiver.ids[msg_id] > 1:  # a retry of something already taken: acknowledge only
                        self._answer(200, "duplicate")
                        return
                receiver.received.append(message)
            self._answer(200, self._ok())

        def _ok(self) -> object:
            if receiver.kind in ("dingtalk", "wecom"):
                return {"errcode": 0, "errmsg": "ok"}
            if receiver.kind == "feishu":
                return {"code": 0, "msg": "success", "data": {}}
            return "ok"

        def _error(self, code: int, message: str) -> object:
            if receiver.kind == "feishu":
                return {"code": code, "msg": message}
            if receiver.kind == "slack":
                return "invalid_token"
            return {"errcode": code, "errmsg": message}

        def _check(self, body: bytes) -> str | None:
            query = parse_qs(urlparse(self.path).query)
            if receiver.kind == "webhook":
                try:
                    ok = verify_webhook(
                        receiver.secret,
                        self.headers["webhook-id"],
                        self.headers["webhook-timestamp"],
                        body,
                        self.headers["webhook-signature"],
                    )
                except (KeyError, TypeError, ValueError) as exc:
                    return f"bad headers: {exc}"
                if abs(time.time() - int(self.headers["webhook-timestamp"])) > 300:
                    return "timestamp too old"
                return None if ok else "signature mismatch"
            if receiver.kind == "dingtalk":
                stamp, sign = query.get("timestamp", [""])[0], self.path.split("sign=")[-1]
                if not stamp or unquote_plus(sign) != unquote_plus(dingtalk_sign(receiver.secret, int(stamp))):
                    return "sign not match"
                return None
            if receiver.kind == "feishu":
                message = json.loads(body)
                if message.get("sign") != feishu_sign(receiver.secret, int(message.get("timestamp", 0))):
                    return "sign match fail"
                return None
            if receiver.kind == "wecom":
                return None if query.get("key", [""])[0] == receiver.key else "invalid webhook url"
            return None

    return Handler


@contextmanager
def serving(*receivers: Receiver) -> Iterator[tuple[Receiver, ...]]:
    """Run each receiver on its own loopback port for the duration of the block."""
    servers = []
    for receiver in receivers:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
        server.daemon_threads = True
        receiver.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    try:
        yield receivers
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
