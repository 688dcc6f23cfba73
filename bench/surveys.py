"""Benchmark the public survey page: answers sent on loopback to `carlzon serve` on SQLite.

Usage: .venv/bin/python bench/surveys.py [--submissions 3000] [--concurrency 16] [--workers 1]

A real server in its own process (`carlzon serve`, the per-address rate limit off: every answer
comes from 127.0.0.1), a published catering survey, then: each respondent's form fetched (its draft
key and signed stamp, as a phone gets them), the minimum fill time waited, and every answer sent
by ``--concurrency`` clients at once — a detractor's with an open answer one time in three. Prints
submissions/s over the sends, their latency percentiles, the server's peak RSS, and the count of
stored responses (and feedback records) against the accepted submissions, which must be equal.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web import Server

ROOT = Path(__file__).resolve().parents[1]
SURVEY = ROOT / "src" / "carlzon" / "surveys" / "examples" / "catering-visit.yaml"
CARLZON = [sys.executable, "-m", "carlzon"]
_HIDDEN = re.compile(r'name="(draft|stamp)" value="([^"]*)"')
COMPLAINTS = (
    "上菜太慢了，等了四十分钟",
    "服务员态度很差，叫了三次都没人理",
    "The soup was cold and the bill was wrong",
)


def cookieless(**options: object) -> httpx.AsyncClient:
    """A client that keeps no cookie: each respondent brings their own (their phone's draft cookie)."""
    from http.cookiejar import DefaultCookiePolicy

    client = httpx.AsyncClient(**options)  # type: ignore[arg-type]
    client.cookies.jar.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    return client


def start_server(workspace: Path, workers: int) -> Server:
    env = {**os.environ, "CARLZON_WORKSPACE": str(workspace), "CARLZON_SURVEY_RATE_LIMIT": "0"}
    subprocess.run([*CARLZON, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*CARLZON, "surveys", "publish", str(SURVEY)], env=env, check=True, capture_output=True)
    return Server(env, workers)


def answers(rng: random.Random) -> dict[str, str]:
    score = rng.randint(0, 10)
    form = {"q.nps": str(score), "q.serving": str(rng.randint(1, 5)), "q.visit-reason": rng.choice(["family", "quick"])}
    if score <= 6 and rng.random() < 0.5:
        form["q.went-wrong"] = rng.choice(COMPLAINTS)
    return form


async def fetch_forms(base: str, n: int, concurrency: int) -> list[tuple[str, dict[str, str]]]:
    """Each respondent's form: its cookie (draft key) and hidden fields, one GET each."""
    limit = asyncio.Semaphore(concurrency)
    out: list[tuple[str, dict[str, str]]] = []

    async def one(client: httpx.AsyncClient) -> None:
        async with limit:
            page = await client.get(f"{base}/s/catering-visit?store=S{len(out) % 20 + 1}")
            page.raise_for_status()
            fields = dict(_HIDDEN.findall(page.text))
            out.append((page.headers.get("set-cookie", "").split(";")[0], fields))

    async with cookieless(timeout=60) as client:
        await asyncio.gather(*(one(client) for _ in range(n)))
    return out


async def send_all(
    base: str, forms: list[tuple[str, dict[str, str]]], concurrency: int, seed: int
) -> tuple[float, list[float], dict[int, int]]:
    rng = random.Random(seed)
    bodies = [(cookie, {**fields, "store": "", "t": "", "website": "", **answers(rng)}) for cookie, fields in forms]
    latencies: list[float] = []
    codes: dict[int, int] = {}
    queue = list(reversed(bodies))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(client: httpx.AsyncClient) -> None:
        while queue:
            cookie, body = queue.pop()
            started = time.perf_counter()
            response = await client.post(f"{base}/s/catering-visit", data=body, headers={"Cookie": cookie})
            latencies.append(time.perf_counter() - started)
            codes[response.status_code] = codes.get(response.status_code, 0) + 1

    async with cookieless(timeout=60, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return elapsed, latencies, codes


def peak_rss_mb(pid: int) -> float:
    """The server's peak resident memory (its worker processes' too, the largest)."""
    pids = [pid, *map(int, subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split())]
    peaks = []
    for p in pids:
        status = Path(f"/proc/{p}/status")
        if status.exists():
            found = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
            peaks.append(int(found.group(1)) / 1024 if found else 0.0)
    return max(peaks, default=0.0)


def stored(workspace: Path) -> tuple[int, int]:
    import sqlite3

    with sqlite3.connect(workspace / "carlzon.db") as db:
        responses = db.execute("SELECT count(*) FROM survey_responses WHERE status = 'complete'").fetchone()[0]
        feedback = db.execute("SELECT count(*) FROM feedback WHERE channel = 'survey'").fetchone()[0]
    return int(responses), int(feedback)


def percentile(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(values, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="carlzon serve --workers")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    from carlzon.surveys.responses import MIN_FILL_SECONDS

    with tempfile.TemporaryDirectory(prefix="carlzon-bench-surveys-") as folder:
        workspace = Path(folder) / "ws"
        server = start_server(workspace, args.workers)
        base = server.url
        try:
            forms = asyncio.run(fetch_forms(base, args.submissions, args.concurrency))
            time.sleep(MIN_FILL_SECONDS + 0.2)  # a person takes at least this long; the page checks it
            elapsed, latencies, codes = asyncio.run(send_all(base, forms, args.concurrency, args.seed))
            rss = peak_rss_mb(server.process.pid)
        finally:
            server.process.terminate()
            server.process.wait(timeout=30)
        responses, feedback = stored(workspace)
    accepted = codes.get(200, 0)
    print(
        "| submissions | concurrency | server workers | submissions/s | p50 ms | p95 ms | p99 ms "
        "| accepted | stored responses | feedback records | server peak RSS MB |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print(
        f"| {args.submissions:,} | {args.concurrency} | {args.workers} | {len(latencies) / elapsed:,.0f} "
        f"| {1000 * percentile(latencies, 50):.1f} | {1000 * percentile(latencies, 95):.1f} "
        f"| {1000 * percentile(latencies, 99):.1f} | {accepted:,} | {responses:,} | {feedback:,} | {rss:.0f} |"
    )
    other = {code: n for code, n in codes.items() if code != 200}
    if other:
        print(f"other answers: {other}")
    if responses != accepted or feedback != accepted:
        raise SystemExit(f"stored {responses:,} responses and {feedback:,} records for {accepted:,} accepted answers")


if __name__ == "__main__":
    main()
