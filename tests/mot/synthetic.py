"""Synthetic analysed mentions with planted effects, for ranking and review tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carlzon.journeys import load_template

OWN, RIVAL = "Own", "Rival"


def planted_mentions(seed: int = 11) -> pd.DataFrame:
    """Trough at queue, own brand worse than the rival at hygiene, NPS driven by payment."""
    rng = np.random.default_rng(seed)
    touchpoints = [tp.id for tp in load_template("catering").touchpoints()]
    rows = []
    feedback_id = 0
    for brand, count in ((OWN, 3000), (RIVAL, 1500)):
        for _ in range(count):
            feedback_id += 1
            chosen = rng.choice(touchpoints, size=2, replace=False)
            sentiments = {}
            for tp in chosen:
                mean = 0.2
                if tp == "queue" and brand == OWN:
                    mean = -0.55
                if tp == "hygiene":
                    mean = 0.2 if brand == OWN else 0.8
                sentiments[tp] = float(np.clip(rng.normal(mean, 0.3), -1, 1))
            nps = 7 + 4 * sentiments.get("payment", 0.0) + rng.normal(0, 1.0)
            answer = float(np.clip(round(nps), 0, 10)) if rng.random() < 0.6 else np.nan
            for tp, value in sentiments.items():
                rows.append(
                    {
                        "feedback_id": feedback_id,
                        "touchpoint_id": tp,
                        "sentiment": value,
                        "brand": brand,
                        "nps": answer,
                        "location": "A",
                        "created_at": pd.Timestamp("2026-10-01", tz="UTC"),
                    }
                )
    return pd.DataFrame(rows)


def review_mentions(*, effect: float, season: float = 0.0, seed: int = 5) -> pd.DataFrame:
    """Serving-time mentions at stores S1 (treated from 2026-10-01) and S2-S4 (control)."""
    rng = np.random.default_rng(seed)
    rows = []
    for feedback_id in range(4000):
        store = f"S{1 + feedback_id % 4}"
        after = (feedback_id // 4) % 2 == 1
        created = pd.Timestamp("2026-10-15" if after else "2026-09-15", tz="UTC")
        mean = -0.4 + (season if after else 0.0) + (effect if after and store == "S1" else 0.0)
        rows.append(
            {
                "feedback_id": feedback_id,
                "touchpoint_id": "serving_time",
                "sentiment": float(np.clip(rng.normal(mean, 0.35), -1, 1)),
                "brand": OWN,
                "nps": float(rng.integers(0, 11)),
                "location": store,
                "created_at": created,
            }
        )
    return pd.DataFrame(rows)
