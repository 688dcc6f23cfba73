from __future__ import annotations

import math

import numpy as np
from scipy import stats

from carlzon.metrics.scores import mean_interval, nps


def test_nps_and_its_interval_match_the_adjusted_wald_formula() -> None:
    # 50 promoters, 30 passives, 20 detractors: NPS 30. Adjusted Wald (Rocks 2016): n' = 103,
    # p' = 50.75 / 103, d' = 20.75 / 103, var = (p' + d' - (p' - d')^2) / n'.
    scores = [10] * 50 + [8] * 30 + [3] * 20
    estimate = nps(scores)
    p, d = 50.75 / 103, 20.75 / 103
    half = 1.959964 * math.sqrt((p + d - (p - d) ** 2) / 103)
    assert math.isclose(estimate.value, 30.0)
    assert math.isclose(estimate.low, 100 * (p - d - half), rel_tol=1e-5)
    assert math.isclose(estimate.high, 100 * (p - d + half), rel_tol=1e-5)
    assert estimate.n == 100


def test_the_nps_interval_keeps_its_promise_at_small_n() -> None:
    # Issue #17, item 12: the plain Wald interval covered 0.87 at n = 10 and 0.90 at n = 30.
    rng = np.random.default_rng(0)
    for n in (10, 30, 100):
        for promoters, detractors in ((0.2, 0.2), (0.5, 0.2), (0.7, 0.1), (0.1, 0.6), (0.85, 0.05)):
            truth = 100 * (promoters - detractors)
            draws = rng.multinomial(n, [promoters, 1 - promoters - detractors, detractors], size=2000)
            scores = [[10] * a + [8] * b + [3] * c for a, b, c in draws]
            covered = np.mean([(e.low <= truth <= e.high) for e in map(nps, scores)])
            assert covered >= 0.93, (n, promoters, detractors, covered)


def test_the_nps_interval_stays_on_the_scale_and_around_the_score() -> None:
    almost_all = nps([10] * 19 + [8])  # the Wald interval was [85.4, 104.6]
    assert -100 <= almost_all.low <= almost_all.value <= almost_all.high <= 100
    one = nps([10])  # the Wald interval was [100, 100]
    assert one.low < 100 and one.high == 100 == one.value


def test_answers_off_the_scale_are_refused() -> None:
    import pytest

    from carlzon.errors import InputError
    from carlzon.metrics.scores import ces, csat, rating

    for call, values in ((nps, [11, -3]), (csat, [7]), (ces, [0]), (rating, [5.5])):
        with pytest.raises(InputError, match="answers run from"):
            call(values)


def test_mean_interval_matches_scipy() -> None:
    data = np.random.default_rng(1).normal(0.2, 0.5, 40)
    low, high = stats.t.interval(0.95, len(data) - 1, loc=data.mean(), scale=stats.sem(data))
    estimate = mean_interval(data)
    assert math.isclose(estimate.low, low) and math.isclose(estimate.high, high)


def test_empty_inputs_are_nan_not_errors() -> None:
    assert math.isnan(nps([]).value) and nps([]).n == 0
    assert math.isnan(mean_interval([]).value)


def test_weekly_scores_roll_days_into_weeks_with_nps_and_csat() -> None:
    import pandas as pd

    from carlzon.metrics.scores import weekly_scores

    daily = pd.DataFrame(
        {
            "day": pd.to_datetime(["2026-11-30", "2026-12-02", "2026-12-08"]),  # Mon, Wed; next Tue
            "nps_n": [4, 6, 0],
            "promoters": [2, 3, 0],
            "detractors": [1, 2, 0],
            "csat_n": [0, 0, 5],
            "csat_top2": [0, 0, 4],
        }
    )
    first, second = weekly_scores(daily)
    assert first["week"] == "2026-11-30" and first["nps_n"] == 10 and first["nps"] == 20.0  # (5 - 3) / 10
    assert first["nps_low"] < 20.0 < first["nps_high"] and first["csat"] is None
    assert second["week"] == "2026-12-07" and second["nps"] is None and second["csat"] == 80.0


def test_daily_scores_are_counted_by_the_database(store) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from carlzon.ingest import Channel, FeedbackRecord

    day = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    records = [
        FeedbackRecord(source="s", external_id=f"r{i}", channel=Channel.SURVEY, brand="Own", text="", nps=n,
                       created_at=day)
        for i, n in enumerate([10, 9, 7, 3])
    ] + [FeedbackRecord(source="s", external_id="c", channel=Channel.SURVEY, brand="Own", text="", csat=5,
                        created_at=day)]  # fmt: skip
    store.add_feedback(records)
    (row,) = store.daily_scores("Own").to_dict("records")
    assert str(row["day"].date()) == "2026-11-30"
    assert (row["nps_n"], row["promoters"], row["detractors"], row["csat_n"], row["csat_top2"]) == (4, 2, 1, 1, 1)
