"""Benchmark the closed loop: `carlzon rules test` (a dry run of the example rules) over a store of
N analysed records, as a user runs it.

Usage: .venv/bin/python bench/actions.py [--records 1000000] [--workspace WS] [--datasets ../shared/datasets]
       .venv/bin/python bench/actions.py --webhooks 5000

``--webhooks N`` measures delivery instead: N task notices in a fresh SQLite workspace, a
receiver on loopback (in this process, verifying every Standard Webhooks signature) and one
`carlzon worker --once` process, timed whole (start-up included).

With ``--workspace`` an analysed workspace is reused (for example the one bench/scale.py leaves
under ``--work``: ``/tmp/scale/n1000000/ws``); without it one of ``--records`` records is built
from the real texts of ../shared/datasets and analysed first (minutes at a million). Each timing
is the whole `carlzon` process with its peak RSS; best of three after a first run (which, on a
workspace analysed before text severity was stored, assesses every text once). Prints a Markdown table; copy it
into bench/RESULTS.md with the date and the command.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import JOURNEY, texts_with_labels, timed, write_records

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "carlzon" / "actions" / "examples" / "catering-rules.yaml"


def build(records: int, datasets: Path, work: Path) -> Path:
    """A workspace of ``records`` imported and analysed records."""
    workspace = work / "ws"
    env = {**os.environ, "CARLZON_WORKSPACE": str(workspace)}
    source = work / "records.csv"
    write_records(source, texts_with_labels(datasets), 0, records, seed=records)
    timed(["db", "upgrade"], env)
    timed(["journeys", "load", JOURNEY], env)
    mapping = ["--map", "id=id", "--map", "brand=brand", "--map", "channel=channel", "--map", "store=store"]
    timed(["import", str(source), *mapping], env)
    timed(["analyze", "--journey", JOURNEY], env)
    return workspace


def bench_webhooks(count: int) -> None:
    """Notices/s of one `carlzon worker --once` delivering ``count`` webhook notices."""
    import base64
    import secrets
    import threading
    from datetime import UTC, datetime
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from carlzon.actions.delivery.signing import verify_webhook
    from carlzon.actions.models import NoticeDraft, Priority, Task
    from carlzon.actions.notices import task_payload
    from carlzon.journeys import load_template
    from carlzon.storage import Store

    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    seen: set[str] = set()
    bad = [0]
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver behind a proxy

        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            h = self.headers
            ok = verify_webhook(secret, h["webhook-id"], h["webhook-timestamp"], body, h["webhook-signature"])
            with lock:
                seen.add(h["webhook-id"])
                bad[0] += not ok
            self.send_response(200 if ok else 401)
            self.send_header("content-length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    work = Path(tempfile.mkdtemp(prefix="carlzon-webhooks-"))
    workspace = work / "ws"
    store = Store.from_url(f"sqlite:///{workspace / 'carlzon.db'}")
    store.upgrade()
    store.save_journey(load_template(JOURNEY))
    now = datetime.now(UTC)
    for i in range(count):
        task = Task(
            journey_id=JOURNEY,
            touchpoint_id="serving_time",
            title=f"上菜太慢 {i}",
            department="Kitchen",
            priority=Priority.HIGH,
            created_at=now,
        )
        store.add_task(
            task, notices=lambda t: [NoticeDraft("hook", "task.created", task_payload("task.created", t, now))]
        )
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    (workspace / "rules.yaml").write_text(
        f"journey: {JOURNEY}\nnotify:\n  hook: {{type: webhook, url: '{url}', secret_env: BENCH_HOOK_SECRET}}\n"
        "rules:\n  - {id: any, name: any}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "CARLZON_WORKSPACE": str(workspace), "BENCH_HOOK_SECRET": secret}
    seconds, peak = timed(["worker", "--once"], env)
    delivered = store.notice_counts().get("delivered", 0)
    store.dispose()
    server.shutdown()
    print("| step | notices | delivered | bad signatures | seconds | notices/s | peak RSS MB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print(
        f"| worker --once, webhooks to loopback | {count:,} | {delivered:,} (unique at receiver {len(seen):,}) "
        f"| {bad[0]} | {seconds:.1f} | {count / seconds:,.0f} | {peak:,.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "datasets"
    parser.add_argument("--datasets", type=Path, default=default)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--workspace", type=Path, default=None, help="an analysed workspace to reuse")
    parser.add_argument("--webhooks", type=int, default=0, help="measure delivery of this many webhook notices")
    args = parser.parse_args()
    if args.webhooks:
        bench_webhooks(args.webhooks)
        return
    workspace = args.workspace or build(args.records, args.datasets, Path(tempfile.mkdtemp(prefix="carlzon-actions-")))
    env = {**os.environ, "CARLZON_WORKSPACE": str(workspace)}
    timed(["db", "upgrade"], env)  # a reused workspace may predate text_severity
    command = ["rules", "test", str(EXAMPLE), "--since", "2000-01-01", "--json"]
    first = timed(command, env)  # assesses the texts of records analysed before text_severity, once
    runs = [timed(command, env) for _ in range(3)]
    seconds, peak = min(runs)
    with sqlite3.connect(workspace / "carlzon.db") as connection:
        rows = connection.execute("SELECT count(*) FROM analysis_results").fetchone()[0]
    print("| step | analysed records | seconds (best of 3) | records/s | peak RSS MB |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| rules test, first run | {rows:,} | {first[0]:.1f} | {rows / first[0]:,.0f} | {first[1]:,.0f} |")
    print(f"| rules test (example rules, all time) | {rows:,} | {seconds:.1f} | {rows / seconds:,.0f} | {peak:,.0f} |")


if __name__ == "__main__":
    main()
