"""Benchmark the web API on loopback: single-record feedback intake (requests/s, p95 latency, no
record lost) and reads of the journey map, against a real `carlzon serve` process.

Usage: .venv/bin/python bench/web.py [--seconds 20] [--clients 8] [--workspace WS] [--reads 200]
       [--datasets ../shared/datasets]

Intake runs on a fresh SQLite workspace: ``--clients`` threads each POST one record per request
(real review texts from ../shared/datasets, or synthetic ones) for ``--seconds``, then the stored
count is checked against the 201s. With ``--workspace`` (an analysed workspace, e.g. the one
bench/scale.py leaves under --work: /tmp/scale/n1000000/ws) it also reads
GET /api/v1/journeys/catering/map ``--reads`` times. Prints a Markdown table; copy it into
bench/RESULTS.md with the date and the command.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

CARLZON = [sys.executable, "-m", "carlzon"]
PASSWORD = "bench password 123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(args: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    done = subprocess.run([*CARLZON, *args], env=env, input=stdin, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"carlzon {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def token_for(env: dict[str, str]) -> str:
    if "bench" not in run(["users", "list"], env):
        run(["users", "add", "bench", "--admin", "--password-stdin"], env, stdin=PASSWORD + "\n")
    out = run(["tokens", "create", "--user", "bench", "--scope", "read", "--scope", "feedback:write"], env)
    return out.splitlines()[0].strip()


class Server:
    """`carlzon serve` in its own process, on a free loopback port."""

    def __init__(self, env: dict[str, str], workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [*CARLZON, "serve", "--port", str(self.port), "--workers", str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/api/v1/openapi.json", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        self.process.kill()
        raise SystemExit("carlzon serve did not start")

    def cpu_seconds(self) -> float:
        """User + system CPU the server and its worker processes have used so far (Linux /proc)."""
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                pid = int(stat.parent.name)
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, ValueError):
                continue  # a process that ended meanwhile
            if pid == self.process.pid or int(fields[1]) == self.process.pid:
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def texts(datasets: Path) -> list[str]:
    path = datasets / "waimai_10k" / "test.csv"
    if path.exists():
        import csv

        with path.open(encoding="utf-8") as handle:
            return [row["text"] for row in csv.DictReader(handle) if row["text"].strip()]
    return [f"上菜太慢了，等了{n}分钟" for n in range(10, 90)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def bench_intake(url: str, token: str, pool: list[str], seconds: float, clients: int) -> dict[str, float]:
    latencies: list[float] = []
    created = [0]
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    host, port = url.removeprefix("http://").split(":")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def client(number: int) -> None:
        # http.client on a kept-alive connection: the load generator shares the 2 cores with the
        # server, and httpx spends several times its CPU per request.
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        sent = 0
        while time.monotonic() < stop_at:
            record = {
                "id": f"c{number}-{sent}",
                "text": pool[(number * 7919 + sent) % len(pool)],
                "channel": "app_review",
                "store": f"S{sent % 40:02d}",
                "nps": sent % 11,
            }
            started = time.perf_counter()
            connection.request("POST", "/api/v1/feedback", body=json.dumps(record).encode(), headers=headers)
            response = connection.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
            sent += 1
            with lock:
                latencies.append(elapsed)
                if response.status == 201 and json.loads(body)["imported"] == 1:
                    created[0] += 1
                else:
                    errors.append(f"{response.status} {body[:100]!r}")
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    if errors:
        print(f"{len(errors)} failed requests, e.g. {errors[0]}", file=sys.stderr)
    return {
        "requests": len(latencies),
        "created": created[0],
        "per_second": len(latencies) / wall,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * percentile(latencies, 0.95),
        "failed": len(errors),
    }


def bench_reads(url: str, token: str, count: int) -> dict[str, float]:
    latencies = []
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as http:
        first = http.get("/api/v1/journeys/catering/map")
        if first.status_code != 200:
            raise SystemExit(f"journey map: {first.status_code} {first.text[:200]}")
        for _ in range(count):
            started = time.perf_counter()
            http.get("/api/v1/journeys/catering/map").raise_for_status()
            latencies.append(time.perf_counter() - started)
    return {
        "requests": count,
        "records": first.json()["records"],
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * percentile(latencies, 0.95),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "datasets"
    parser.add_argument("--datasets", type=Path, default=default)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workspace", type=Path, help="an analysed workspace for the journey-map reads")
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1, help="carlzon serve --workers")
    options = parser.parse_args()

    rows = []
    work = Path(tempfile.mkdtemp(prefix="carlzon-web-bench-"))
    try:
        env = {**os.environ, "CARLZON_WORKSPACE": str(work / "ws")}
        run(["db", "upgrade"], env)
        token = token_for(env)
        server = Server(env, options.workers)
        try:
            before = server.cpu_seconds()
            intake = bench_intake(server.url, token, texts(options.datasets), options.seconds, options.clients)
            server_cpu = server.cpu_seconds() - before
        finally:
            server.stop()
        with sqlite3.connect(work / "ws" / "carlzon.db") as db:
            stored = db.execute("SELECT count(*) FROM feedback").fetchone()[0]
        rows.append(
            f"| intake, 1 record per POST, {options.clients} clients, {options.workers} server workers, "
            f"{options.seconds:.0f} s | "
            f"{intake['requests']:,} | {intake['per_second']:,.0f} | {intake['p50_ms']:.1f} | {intake['p95_ms']:.1f} | "
            f"201: {intake['created']:,}, stored: {stored:,}, failed: {intake['failed']}; "
            f"server CPU {1000 * server_cpu / max(intake['requests'], 1):.1f} ms per request |"
        )
        if options.workspace:
            env = {**os.environ, "CARLZON_WORKSPACE": str(options.workspace)}
            token = token_for(env)
            server = Server(env)
            try:
                reads = bench_reads(server.url, token, options.reads)
            finally:
                server.stop()
            rows.append(
                f"| GET journey map, {reads['records']:,} analysed records | {reads['requests']:,} | | "
                f"{reads['p50_ms']:.1f} | {reads['p95_ms']:.1f} | |"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| step | requests | requests/s | p50 ms | p95 ms | records |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(row)


if __name__ == "__main__":
    main()
