"""Benchmark import_source: a generated CSV into SQLite and PostgreSQL; rows/s and peak memory.

Usage: .venv/bin/python bench/ingest.py [--rows 1000000] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]
       .venv/bin/python bench/ingest.py --rows 100000 --real ../shared/datasets   # real review texts

Each target runs in a fresh child process so its peak RSS (ru_maxrss) is its own. The file mixes
simplified/traditional Chinese and English comments, NPS scores, dates, a phone number every
50th row (redaction) and a broken row every 1,000th (quarantine).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEXTS = [
    "等了四十分钟才上菜，太慢了",
    "The crew was amazing, thank you!",
    "服務員態度很好，下次還會再來",
    "Overpriced for such small portions",
    "外卖送到都凉了，打客服电话13812345678也没人理",
    "环境不错，菜品新鲜",
]


REAL = ("waimai_10k", "chnsenticorp_htl", "online_shopping_10_cats", "twitter_us_airline_sentiment")


def real_texts(datasets: Path) -> list[str]:
    """The review and tweet texts of the shared datasets (their train splits), as written."""
    texts: list[str] = []
    for name in REAL:
        path = datasets / name / "train.csv"
        if path.exists():
            with path.open(encoding="utf-8", newline="") as handle:
                texts += [row["text"] for row in csv.DictReader(handle) if row.get("text")]
    if not texts:
        raise SystemExit(f"no dataset texts under {datasets}")
    return texts


def write_csv(path: Path, rows: int, texts: list[str] | None = None) -> None:
    rng = random.Random(7)
    pool = texts or TEXTS
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "comment", "score", "date", "store", "customer"])
        for i in range(rows):
            text = pool[rng.randrange(len(pool))]
            nps = 11 if i % 1000 == 999 else rng.randrange(11)
            writer.writerow(
                [
                    f"T{i}",
                    f"{text} #{i}",
                    nps,
                    f"2026-11-{1 + i % 28:02d} 12:{i % 60:02d}",
                    f"S{i % 40}",
                    f"C{i % 90000}",
                ]
            )


def child(path: str, url: str) -> None:
    from carlzon.ingest.mapping import Mapping
    from carlzon.ingest.service import import_source
    from carlzon.storage import Store

    store = Store.from_url(url)
    store.upgrade()
    mapping = Mapping(
        columns={"text": "comment", "nps": "score", "customer_id": "customer"},
        channel="survey",
        timezone="Asia/Shanghai",
    )
    started = time.perf_counter()
    report = import_source(Path(path), store=store, mapping=mapping)
    seconds = time.perf_counter() - started
    peak_mb = (
        max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        / 1024
    )  # the larger of the writer and its reader process
    print(
        json.dumps(
            {
                "read": report.read,
                "imported": report.imported,
                "quarantined": report.quarantined,
                "seconds": seconds,
                "peak_mb": peak_mb,
                "balanced": report.balanced,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=os.environ.get("CARLZON_TEST_POSTGRES_URL"))
    parser.add_argument("--real", type=Path, help="the shared datasets folder: import real review texts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feedback.csv"
        write_csv(path, args.rows, real_texts(args.real) if args.real else None)
        size_mb = path.stat().st_size / 2**20
        targets = [("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}")]
        if args.postgres:
            targets.append(("PostgreSQL", _fresh_schema(args.postgres)))
        else:
            print("PostgreSQL skipped: pass --postgres URL or set CARLZON_TEST_POSTGRES_URL")
        results = []
        for name, url in targets:
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(path), url], capture_output=True, text=True, check=True
            )
            results.append((name, json.loads(out.stdout.strip().splitlines()[-1])))
    kind = "real review texts" if args.real else "generated comments"
    print(f"\n{args.rows:,} rows of {kind}, {size_mb:,.0f} MB CSV\n")
    print("| target | rows/s | seconds | peak RSS MB | imported | quarantined | balanced |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, r in results:
        print(
            f"| {name} | {r['read'] / r['seconds']:,.0f} | {r['seconds']:.1f} | {r['peak_mb']:.0f} | "
            f"{r['imported']:,} | {r['quarantined']:,} | {r['balanced']} |"
        )


def _fresh_schema(base: str) -> str:
    from urllib.parse import quote

    from sqlalchemy import create_engine, text

    schema = f"carlzon_bench_{int(time.time())}"
    engine = create_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return f"{base}{'&' if '?' in base else '?'}options={quote(f'-csearch_path={schema}')}"


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
