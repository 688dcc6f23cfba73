"""Generate the bundled example feedback: SYNTHETIC restaurant feedback with planted patterns.

Every record is made up, from a fixed seed, so the demo is the same on every machine and a
test can check that the analysis finds what was planted:

- a deep **trough** at ``serving_time`` (slow food) for the own brand,
- a **peak** at ``taste``,
- a strong **last moment** at ``farewell`` (seen to the door, a small gift),
- competitor Golden Wok is fast where we are slow (a differentiating moment),
- slow serving drags survey NPS down (a key driver),
- from 2026-10-10 a kitchen display system at Shanghai Xuhui makes serving fast there (an
  improvement the before/after review should find; the other stores are its control).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from carlzon.demo.phrases import CHANNEL_PREFIX, FILLERS, PHRASES
from carlzon.text import to_traditional

SEED = 20261123
DEFAULT_COUNT = 2400
OWN_BRAND = "Red Lantern 红灯笼"
COMPETITORS = ("Golden Wok 金锅", "Jade Garden 玉园")
PLANTED = {
    "trough": "serving_time",
    "peak": "taste",
    "end": "farewell",
    "differentiator": "serving_time",
    "driver": "serving_time",
}
# A kitchen display system at one store fixes slow serving there from this day on (for the review).
IMPROVEMENT = {
    "touchpoint": "serving_time",
    "location": "Shanghai Xuhui",
    "started_on": "2026-10-10T00:00:00+00:00",
    "description": "Kitchen display system: tickets routed to stations, 12-minute alert",
    "cost": 3.0,
}

CSV_COLUMNS = ["id", "channel", "brand", "text", "nps", "customer_id", "store", "created_at", "reach"]

_MENTION_WEIGHT = {
    "word_of_mouth": 0.6,
    "reservation": 0.5,
    "queue": 1.5,
    "greeting": 0.8,
    "environment": 1.0,
    "menu_ordering": 0.8,
    "serving_time": 2.5,
    "taste": 3.0,
    "hygiene": 0.8,
    "service_attitude": 2.0,
    "payment": 0.8,
    "price_value": 1.5,
    "farewell": 1.4,
    "delivery": 0.6,
    "complaint_handling": 0.4,
    "revisit_recommend": 1.0,
}
_DEFAULT_POSITIVE = {
    "word_of_mouth": 0.7,
    "reservation": 0.65,
    "queue": 0.45,
    "greeting": 0.7,
    "environment": 0.65,
    "menu_ordering": 0.65,
    "serving_time": 0.08,
    "taste": 0.96,
    "hygiene": 0.7,
    "service_attitude": 0.7,
    "payment": 0.65,
    "price_value": 0.55,
    "farewell": 0.9,
    "delivery": 0.5,
    "complaint_handling": 0.5,
    "revisit_recommend": 0.7,
}
_POSITIVE_BY_BRAND = {
    OWN_BRAND: _DEFAULT_POSITIVE,
    COMPETITORS[0]: {**{k: 0.6 for k in _DEFAULT_POSITIVE}, "serving_time": 0.85, "farewell": 0.5},
    COMPETITORS[1]: {**{k: 0.55 for k in _DEFAULT_POSITIVE}, "serving_time": 0.5, "farewell": 0.45},
}
_CHANNELS = ("call_centre", "app_review", "social", "store", "survey")
_CHANNEL_P = (0.12, 0.25, 0.2, 0.13, 0.3)
_LANGS = ("zh-Hans", "zh-Hant", "en")
_LANG_P = (0.5, 0.2, 0.3)
_STORES = ("Shanghai Jing'an", "Shanghai Xuhui", "Beijing Chaoyang", "Hong Kong Causeway Bay", "Taipei Xinyi")
_START = datetime(2026, 8, 1, tzinfo=UTC)
_IMPROVED_FROM = datetime.fromisoformat(IMPROVEMENT["started_on"])


@dataclass(frozen=True)
class ExampleRow:
    """One synthetic feedback row, as written to the example CSV."""

    id: str
    channel: str
    brand: str
    text: str
    nps: int | None
    customer_id: str
    store: str
    created_at: str
    reach: int | None


def generate_example_feedback(count: int = DEFAULT_COUNT, seed: int = SEED) -> list[ExampleRow]:
    """``count`` synthetic feedback rows; the same ``seed`` always gives the same rows."""
    rng = np.random.default_rng(seed)
    touchpoints = list(_MENTION_WEIGHT)
    weights = np.array([_MENTION_WEIGHT[t] for t in touchpoints])
    weights = weights / weights.sum()
    brands = (OWN_BRAND, *COMPETITORS)
    rows = []
    for index in range(count):
        brand = brands[rng.choice(3, p=(0.7, 0.15, 0.15))]
        channel = _CHANNELS[rng.choice(len(_CHANNELS), p=_CHANNEL_P)]
        lang = _LANGS[rng.choice(3, p=_LANG_P)]
        k = int(rng.choice((1, 2, 3), p=(0.35, 0.4, 0.25)))
        chosen = sorted(rng.choice(len(touchpoints), size=k, replace=False, p=weights))
        store = _STORES[int(rng.integers(0, len(_STORES)))]
        created = _START + timedelta(minutes=int(rng.integers(0, 91 * 24 * 60)))
        improved = brand == OWN_BRAND and store == IMPROVEMENT["location"] and created >= _IMPROVED_FROM
        positive = {**_POSITIVE_BY_BRAND[brand], **({"serving_time": 0.75} if improved else {})}
        polarities = {touchpoints[i]: 1 if rng.random() < positive[touchpoints[i]] else -1 for i in chosen}
        text = _compose(rng, polarities, lang, channel)
        rows.append(
            ExampleRow(
                id=f"demo-{index:05d}",
                channel=channel,
                brand=brand,
                text=text,
                nps=_nps(rng, polarities) if channel == "survey" else None,
                customer_id=f"C{int(rng.integers(0, 60000)):05d}",
                store=store,
                created_at=created.isoformat(),
                reach=int(rng.lognormal(5, 1.5)) if channel == "social" else None,
            )
        )
    return rows


def _compose(rng: np.random.Generator, polarities: dict[str, int], lang: str, channel: str) -> str:
    base = "en" if lang == "en" else "zh"
    clauses = []
    if rng.random() < 0.3:
        clauses.append(FILLERS[base][int(rng.integers(0, len(FILLERS[base])))])
    for touchpoint, polarity in polarities.items():
        options = PHRASES[touchpoint]["pos" if polarity > 0 else "neg"][base]
        clauses.append(options[int(rng.integers(0, len(options)))])
    joined = ". ".join(c[0].upper() + c[1:] for c in clauses) + "." if base == "en" else "，".join(clauses) + "。"
    prefix = CHANNEL_PREFIX.get(channel, {}).get(base, "")
    text = prefix + joined
    return to_traditional(text) if lang == "zh-Hant" else text


def _nps(rng: np.random.Generator, polarities: dict[str, int]) -> int:
    mean = sum(polarities.values()) / len(polarities)
    slow = 2.5 if polarities.get("serving_time") == -1 else 0.0
    value = 7.5 + 2.0 * mean - slow + rng.normal(0, 1.2)
    return int(min(10, max(0, round(value))))


def write_example_csv(path: Path, count: int = DEFAULT_COUNT, seed: int = SEED) -> Path:
    """Write the synthetic example set to ``path`` (a CSV) and a note beside it saying what it is."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = generate_example_feedback(count, seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            writer.writerow(["" if getattr(row, c) is None else getattr(row, c) for c in CSV_COLUMNS])
    path.with_suffix(".README.txt").write_text(
        f"{path.name}: {len(rows)} SYNTHETIC feedback records generated by carlzon.demo.generate "
        f"with seed {seed}. Not real customers. Planted patterns: {PLANTED}.\n",
        encoding="utf-8",
    )
    return path


EXAMPLE_FUNNEL = {
    "goal": "recommended",
    "funnel": ["entered", "seated", "ordered", "returned", "recommended"],
    "targets": {"entered": 400, "seated": 0.92, "ordered": 0.97, "returned": 0.35, "recommended": 0.30},
    "touchpoints": {
        "seated": ["queue", "greeting"],
        "ordered": ["menu_ordering", "price_value"],
        "returned": ["serving_time", "taste", "farewell"],
        "recommended": ["revisit_recommend", "word_of_mouth"],
    },
}
_FUNNEL_RATES = {"seated": 0.90, "ordered": 0.96, "returned": 0.24, "recommended": 0.29}  # 'returned' is weak


def write_example_funnel(folder: Path, seed: int = SEED) -> tuple[Path, Path]:
    """A SYNTHETIC store funnel (YAML) and 91 days of counts (CSV) whose weak link is 'returned'."""
    import yaml

    rng = np.random.default_rng(seed + 1)
    folder.mkdir(parents=True, exist_ok=True)
    tree = folder / "store_funnel.yaml"
    tree.write_text(
        "# SYNTHETIC example: the store funnel of the demo, from entering to recommending.\n"
        + yaml.safe_dump(EXAMPLE_FUNNEL, sort_keys=False),
        encoding="utf-8",
    )
    data = folder / "store_funnel_daily.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", *EXAMPLE_FUNNEL["funnel"]])
        for day in range(91):
            counts = [int(rng.poisson(390))]
            for step in EXAMPLE_FUNNEL["funnel"][1:]:
                counts.append(int(rng.binomial(counts[-1], _FUNNEL_RATES[step])))
            writer.writerow([(_START + timedelta(days=day)).date().isoformat(), *counts])
    return tree, data
