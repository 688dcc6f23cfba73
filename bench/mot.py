"""Benchmark the MOT ranking: 1,000,000 analysed records over 20 touchpoints, end to end in memory.

Usage: .venv/bin/python bench/mot.py [--records 1000000]

Times the journey map, the key-driver analysis (relative weights + 300 bootstrap resamples on up to
20,000 answered records) and the ranking with per-competitor tests, on synthetic mentions with a
planted trough, differentiator and driver, and checks they come out on top.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd

from carlzon.journeys.models import Journey
from carlzon.metrics.journey_map import build_journey_map, mention_stats
from carlzon.mot.drivers import analyse_drivers
from carlzon.mot.prioritise import rank_moments


def journey(touchpoints: int) -> Journey:
    stages = []
    per_stage = touchpoints // 4
    for s in range(4):
        tps = [
            {
                "id": f"tp{s * per_stage + i:02d}",
                "name": {"zh": "点", "en": f"Touchpoint {s * per_stage + i}"},
                "owner": "Ops",
                "moment": "second",
                "cost": float(1 + (s * per_stage + i) % 9),
                "keywords": {"zh_hans": ["点"], "en": ["point"]},
            }
            for i in range(per_stage)
        ]
        stages.append(
            {
                "id": f"s{s}",
                "name": {"zh": "段", "en": f"Stage {s}"},
                "phase": ["before", "during", "during", "after"][s],
                "touchpoints": tps,
            }
        )
    return Journey.model_validate(
        {"id": "bench", "name": {"zh": "基准", "en": "Bench"}, "industry": "x", "stages": stages}
    )


def mentions(records: int, touchpoints: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    per_record = 2
    n = records * per_record
    feedback = np.repeat(np.arange(records), per_record)
    tp = rng.integers(0, touchpoints, n)
    brand = np.where(np.repeat(rng.random(records), per_record) < 0.7, "Own", np.where(rng.random(n) < 0.5, "A", "B"))
    mean = np.full(n, 0.2)
    mean[(tp == 3) & (brand == "Own")] = -0.5  # trough
    mean[(tp == 7) & (brand != "Own")] = 0.7  # own worse than rivals
    sentiment = np.clip(rng.normal(mean, 0.3), -1, 1)
    driver = np.zeros(records)
    np.add.at(driver, feedback[tp == 11], sentiment[tp == 11])
    nps = np.clip(np.round(7 + 4 * driver + rng.normal(0, 1, records)), 0, 10)
    nps[rng.random(records) > 0.3] = np.nan
    return pd.DataFrame(
        {
            "feedback_id": feedback,
            "touchpoint_id": [f"tp{t:02d}" for t in tp],
            "sentiment": sentiment,
            "brand": brand,
            "nps": nps[feedback],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--touchpoints", type=int, default=20)
    args = parser.parse_args()
    j = journey(args.touchpoints)
    frame = mentions(args.records, args.touchpoints)
    own_records = int(frame.drop_duplicates("feedback_id")["brand"].eq("Own").sum())
    timings = {}
    started = time.perf_counter()
    journey_map = build_journey_map(j, frame, records=own_records, brand="Own")
    timings["journey map"] = time.perf_counter() - started
    t = time.perf_counter()
    own = frame[frame["brand"] == "Own"]
    performance = dict(zip(journey_map.table["touchpoint_id"], journey_map.table["sentiment"], strict=True))
    drivers = analyse_drivers(own, list(performance), performance)
    timings["key drivers"] = time.perf_counter() - t
    t = time.perf_counter()
    ranking = rank_moments(journey_map, mention_stats(frame), brand="Own", drivers=drivers)
    timings["ranking"] = time.perf_counter() - t
    total = time.perf_counter() - started
    top3 = sorted(m.touchpoint_id for m in ranking.moments[:3])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{args.records:,} records ({len(frame):,} mentions), {args.touchpoints} touchpoints, 3 brands\n")
    print("| step | seconds |\n| --- | --- |")
    for step, seconds in timings.items():
        print(f"| {step} | {seconds:.2f} |")
    print(f"| **total** | **{total:.2f}** |")
    print(
        f"\npeak RSS {peak_mb:,.0f} MB; top 3: {top3} (planted: ['tp03', 'tp07', 'tp11']); "
        f"records/s {args.records / total:,.0f}"
    )


if __name__ == "__main__":
    main()
