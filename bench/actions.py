"""Benchmark the closed loop: `carlzon rules test` (a dry run of the example rules) over a store of
N analysed records, as a user runs it.

Usage: .venv/bin/python bench/actions.py [--records 1000000] [--workspace WS] [--datasets ../shared/datasets]

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "datasets"
    parser.add_argument("--datasets", type=Path, default=default)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--workspace", type=Path, default=None, help="an analysed workspace to reuse")
    args = parser.parse_args()
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
