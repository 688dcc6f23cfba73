"""A per-address sliding-window limit, in the server process's memory.

Why in memory and not in the database: the public survey page must refuse a flood before it
costs a write, and a count that resets with the process is enough to stop a script (each
`carlzon serve --workers N` process counts on its own, so the limit a client meets is at most N
times the setting). Addresses are kept only while they have attempts in the window.
"""

from __future__ import annotations

import threading
import time
from collections import deque

MAX_ADDRESSES = 100_000  # a flood from spoofed addresses cannot grow the table without bound


class SlidingWindow:
    """At most ``limit`` attempts per ``window`` seconds per key (limit 0: no limit)."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count an attempt of ``key``; False (and not counted) when it is over the limit."""
        if self.limit <= 0:
            return True
        now = time.monotonic() if now is None else now
        with self._lock:
            attempts = self._seen.get(key)
            if attempts is None:
                if len(self._seen) >= MAX_ADDRESSES:
                    self._forget_idle(now)
                attempts = self._seen[key] = deque()
            while attempts and attempts[0] <= now - self.window:
                attempts.popleft()
            if len(attempts) >= self.limit:
                return False
            attempts.append(now)
            return True

    def retry_after(self, key: str, now: float | None = None) -> int:
        """Seconds until ``key`` may try again (at least 1)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            attempts = self._seen.get(key)
            if not attempts:
                return 1
            return max(1, int(attempts[0] + self.window - now) + 1)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._seen.items() if not v or v[-1] <= now - self.window]:
            del self._seen[key]
        if len(self._seen) >= MAX_ADDRESSES:  # all busy: drop the oldest half rather than grow
            for key in sorted(self._seen, key=lambda k: self._seen[k][-1])[: MAX_ADDRESSES // 2]:
                del self._seen[key]
