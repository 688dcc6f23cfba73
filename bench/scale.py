"""Benchmark Carlzon at scale: import, analyse, add 1 % and analyse again, rank, report — as a user runs them.

Usage: .venv/bin/python bench/scale.py [--sizes 100000 1000000] [--large] [--datasets ../shared/datasets]

For each size N, a store of N records is built from the real review, takeaway, hotel, shopping
and tweet texts in ../shared/datasets (seeded: brand, channel, store, date and, for a third of
them, an NPS answer that agrees with the text's label), then every step runs as its own
`carlzon` process, timed as a whole with its peak resident set (os.wait4: the process and the
workers it waited for); the 1 % import and the analysis after it run three times on copies of
the same store (the median is shown). ``--large`` adds N = 5,000,000. Prints a Markdown table; copy it into
bench/RESULTS.md with the date and the command.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

CORPORA = (
    "waimai_10k",
    "chnsenticorp_htl",
    "online_shopping_10_cats",
    "twitter_us_airline_sentiment",
    "semeval2014_restaurants_acsa",
)
BRANDS = ("Red Lantern 红灯笼", "Golden Wok 金锅", "Harbour Grill")
CHANNELS = ("app_review", "ecommerce_review", "social", "survey", "call_centre", "store")
JOURNEY = "catering"
CARLZON = [sys.executable, "-m", "carlzon"]


def texts_with_labels(datasets: Path) -> pd.DataFrame:
    """Every distinct labelled text of the corpora that are present (text, positive?)."""
    frames = []
    for name in CORPORA:
        for split in ("train", "test"):
            path = datasets / name / f"{split}.csv"
            if path.exists():
                frame = pd.read_csv(path, keep_default_na=False, usecols=["text", "label"])
                frames.append(frame.assign(positive=frame["label"].astype(str).str.lower().isin(["positive", "1"])))
    if not frames:
        raise SystemExit(f"no datasets under {datasets}; pass --datasets")
    return pd.concat(frames, ignore_index=True).drop_duplicates("text")[["text", "positive"]]


def write_records(path: Path, pool: pd.DataFrame, start: int, count: int, seed: int) -> None:
    """``count`` records numbered from ``start``, drawn from ``pool`` with a seeded generator."""
    rng = np.random.default_rng(seed)
    epoch = datetime(2025, 12, 1, tzinfo=UTC)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "brand", "channel", "store", "created_at", "nps"])
        for offset in range(0, count, 100_000):
            size = min(100_000, count - offset)
            picks = rng.integers(0, len(pool), size)
            brands = rng.choice(len(BRANDS), size, p=[0.5, 0.3, 0.2])
            channels = rng.integers(0, len(CHANNELS), size)
            stores = rng.integers(1, 41, size)
            minutes = rng.integers(0, 365 * 24 * 60, size)
            answered = rng.random(size) < 1 / 3
            promoter = rng.integers(8, 11, size)
            detractor = rng.integers(0, 7, size)
            for i in range(size):
                text, positive = pool.iat[picks[i], 0], pool.iat[picks[i], 1]
                nps = (promoter[i] if positive else detractor[i]) if answered[i] else ""
                when = (epoch + timedelta(minutes=int(minutes[i]))).isoformat()
                brand, channel = BRANDS[brands[i]], CHANNELS[channels[i]]
                writer.writerow([f"r{start + offset + i}", text, brand, channel, f"S{stores[i]:02d}", when, nps])


def timed(arguments: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one carlzon command; its output is discarded, a failure stops."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen([*CARLZON, *arguments], stdout=subprocess.DEVNULL, stderr=errors, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        if child.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"carlzon {' '.join(arguments)} failed:\n{errors.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


REPEATS = 3
RUNS = f", median of {REPEATS}"


def incremental_steps(workspace: Path, env: dict[str, str], commands: list[list[str]]) -> list[tuple[float, float]]:
    """Median seconds and largest peak RSS of each of ``commands`` (the 1 % import, the analysis
    after it), each round run on the same copy of the store.

    A step of one or two seconds is at the mercy of this noisy machine's worst second, where the
    first analysis (minutes) averages it out: the rounds make the ratio measure the code."""
    snapshot = workspace.with_name(workspace.name + "-before")
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(workspace, snapshot)
    rounds: list[list[tuple[float, float]]] = []
    for round_ in range(REPEATS):
        if round_:
            shutil.rmtree(workspace)
            shutil.copytree(snapshot, workspace)
        rounds.append([timed(command, env) for command in commands])
    shutil.rmtree(snapshot)
    return [(float(np.median([r[i][0] for r in rounds])), max(r[i][1] for r in rounds)) for i in range(len(commands))]


def run_size(n: int, pool: pd.DataFrame, work: Path) -> list[tuple[str, int, float, float]]:
    folder = work / f"n{n}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = {**os.environ, "CARLZON_WORKSPACE": str(folder / "ws")}
    first, extra = folder / "records.csv", folder / "new.csv"
    write_records(first, pool, 0, n, seed=n)
    write_records(extra, pool, n, n // 100, seed=n + 1)
    brand = BRANDS[0]
    rows: list[tuple[str, int, float, float]] = []

    def record(label: str, records: int, seconds: float, peak: float) -> float:
        rows.append((label, records, seconds, peak))
        print(f"  {label}: {seconds:,.1f} s, {peak:,.0f} MB", file=sys.stderr, flush=True)
        return seconds

    def step(label: str, records: int, arguments: list[str]) -> float:
        return record(label, records, *timed(arguments, env))

    timed(["db", "upgrade"], env)
    timed(["journeys", "load", JOURNEY], env)
    mapping = ["--map", "id=id", "--map", "brand=brand", "--map", "channel=channel", "--map", "store=store"]
    step("import", n, ["import", str(first), *mapping])
    analyse = step("analyze", n, ["analyze", "--journey", JOURNEY])
    imported, analysed = incremental_steps(
        folder / "ws", env, [["import", str(extra), *mapping], ["analyze", "--journey", JOURNEY]]
    )
    record(f"import 1 % more{RUNS}", n // 100, *imported)
    again = record(f"analyze again (1 % new){RUNS}", n // 100, *analysed)
    step("analyze again (nothing new)", 0, ["analyze", "--journey", JOURNEY])
    rank = ["mot", "rank", "--journey", JOURNEY, "--brand", brand]
    step("mot rank", n + n // 100, rank)
    step("report", n + n // 100, ["report", "--journey", JOURNEY, "--brand", brand, "--out", str(folder / "r.html")])
    rows.append((f"second analyze / first: {again / analyse:.1%}", 0, 0.0, 0.0))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "datasets"
    parser.add_argument("--datasets", type=Path, default=default)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--large", action="store_true", help="also N = 5,000,000")
    parser.add_argument("--work", type=Path, default=None, help="folder for the stores (default: a temporary one)")
    args = parser.parse_args()
    sizes = [*args.sizes, *([5_000_000] if args.large else [])]
    pool = texts_with_labels(args.datasets)
    work = args.work or Path(tempfile.mkdtemp(prefix="carlzon-scale-"))
    lines = ["| N | step | records | seconds | records/s | peak RSS MB |", "| --- | --- | --- | --- | --- | --- |"]
    for n in sizes:
        print(f"N = {n:,} ({len(pool):,} distinct texts) in {work}", file=sys.stderr, flush=True)
        for label, records, seconds, peak in run_size(n, pool, work):
            if not seconds:
                lines.append(f"| {n:,} | {label} | | | | |")
                continue
            rate = f"{records / seconds:,.0f}" if records else ""
            lines.append(f"| {n:,} | {label} | {records:,} | {seconds:,.1f} | {rate} | {peak:,.0f} |")
        if args.work is None:
            shutil.rmtree(work / f"n{n}", ignore_errors=True)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
