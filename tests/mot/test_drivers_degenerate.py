"""Key drivers on real-shaped NPS: most answers a 10 (issue #17, item 11)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from carlzon.mot.drivers import analyse_drivers


def _mentions(nps: list[int]) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    rows = []
    for i, score in enumerate(nps):
        for touchpoint in ("queue", "taste"):
            rows.append({"feedback_id": i, "touchpoint_id": touchpoint, "sentiment": rng.uniform(-1, 1), "nps": score})
    return pd.DataFrame(rows)


def test_resamples_with_one_outcome_are_skipped_and_counted() -> None:
    # The reproducer: 60 records, NPS 10 except three (3, 6, 8); before, analyse_drivers raised
    # "the outcome does not vary" from inside the bootstrap, so `carlzon drivers` exited 2.
    nps = [10] * 57 + [3, 6, 8]
    result = analyse_drivers(_mentions(nps), ["queue", "taste"], {"queue": 0.0, "taste": 0.1}, resamples=300)
    assert result.n == 60
    assert 0 < result.resamples_skipped < 300  # (57/60)^60 ≈ 4.6 % of resamples draw only 10s
    for driver in result.drivers:
        assert np.isfinite([driver.low, driver.high]).all() and driver.low <= driver.high
    assert result.to_dict()["resamples_skipped"] == result.resamples_skipped


def test_varied_answers_skip_nothing() -> None:
    nps = list(np.random.default_rng(1).integers(0, 11, 80))
    result = analyse_drivers(_mentions(nps), ["queue", "taste"], {"queue": 0.0, "taste": 0.1})
    assert result.resamples_skipped == 0
