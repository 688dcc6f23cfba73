"""Precision and recall of the redactor per kind of personal data, on the labelled corpus.

Usage: .venv/bin/python bench/pii.py [--corpus tests/privacy/pii_corpus.jsonl] [--datasets ../shared/datasets]

Recall: labelled values that no longer appear and whose kind's placeholder does. Precision: of
the placeholders the redactor wrote, those that stand for a labelled value of that kind; a
``keep`` value destroyed counts against precision too ("over-redacted"). With the shared
datasets beside the checkout it also times redaction on real review texts.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from carlzon.privacy.redact import KINDS, find_pii, redact

ROOT = Path(__file__).resolve().parents[1]
_PLACEHOLDER = re.compile(r"\[(" + "|".join(KINDS) + r")\]")


def score(corpus: Path) -> tuple[list[tuple[str, int, int, int]], int, int]:
    """Per kind (labelled, found, wrote); and keep values (total, destroyed)."""
    labelled, found, wrote = Counter(), Counter(), Counter()
    kept_total = kept_lost = 0
    for raw in corpus.read_text(encoding="utf-8").splitlines():
        entry = json.loads(raw)
        out = redact(entry["text"])
        written = Counter(_PLACEHOLDER.findall(out))
        wrote.update(written)
        for item in entry["pii"]:
            kind = item["kind"]
            labelled[kind] += 1
            shown = "NAME" if kind == "NAME_UNTITLED" else kind
            if item["value"] not in out and written[shown] > 0:
                found[kind] += 1
        kept_total += len(entry["keep"])
        kept_lost += sum(1 for value in entry["keep"] if value not in out)
    rows = [(kind, labelled[kind], found[kind], wrote.get(kind, 0)) for kind in sorted(set(labelled) | set(wrote))]
    return rows, kept_total, kept_lost


def speed(datasets: Path) -> list[tuple[str, int, float, int]]:
    rows = []
    for name in ("waimai_10k", "chnsenticorp_htl", "online_shopping_10_cats", "twitter_us_airline_sentiment"):
        path = datasets / name / "train.csv"
        if not path.exists():
            continue
        texts = pd.read_csv(path)["text"].astype(str).tolist()
        started = time.perf_counter()
        hits = sum(1 for text in texts if find_pii(text))
        rows.append((name, len(texts), len(texts) / (time.perf_counter() - started), hits))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "privacy" / "pii_corpus.jsonl")
    parser.add_argument("--datasets", type=Path, default=ROOT.parent / "shared" / "datasets")
    args = parser.parse_args()
    rows, kept_total, kept_lost = score(args.corpus)
    print("| kind | labelled | redacted | recall | placeholders written | precision |")
    print("| --- | --- | --- | --- | --- | --- |")
    for kind, n, hit, wrote in rows:
        recall = f"{hit / n:.1%}" if n else ""
        labelled_as = "NAME" if kind == "NAME_UNTITLED" else kind
        precision = f"{min(hit, wrote) / wrote:.1%}" if wrote and labelled_as == kind else ""
        print(f"| {kind} | {n} | {hit} | {recall} | {wrote} | {precision} |")
    print(f"\nkeep values (order numbers, hotlines, dishes, places): {kept_total}, destroyed: {kept_lost}")
    timings = speed(args.datasets)
    if timings:
        print("\n| real texts | texts | texts/s | with personal data found |")
        print("| --- | --- | --- | --- |")
        for name, n, rate, hits in timings:
            print(f"| {name} | {n:,} | {rate:,.0f} | {hits:,} ({hits / n:.1%}) |")


if __name__ == "__main__":
    main()
