"""Store tests, run on SQLite and on PostgreSQL (skipped with a reason when no server is configured)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pandas as pd
import pytest

from carlzon.actions import Priority, Task
from carlzon.errors import ConfigError, NotFoundError, StorageError
from carlzon.ingest import Channel, FeedbackRecord
from carlzon.journeys import load_template
from carlzon.storage import Store
from carlzon.storage.migrate import HEAD, current_revision, head_revision


def _record(external_id: str, text: str = "上菜太慢了", **extra: object) -> FeedbackRecord:
    return FeedbackRecord(
        source="unit.csv",
        external_id=external_id,
        channel=Channel.APP_REVIEW,
        brand="Own",
        text=text,
        **extra,
    )


def test_upgrade_reaches_head(store: Store) -> None:
    assert current_revision(store.engine) == head_revision() == HEAD  # HEAD names the newest migration
    store.check_schema()


def test_journey_round_trips_with_its_touchpoints(store: Store) -> None:
    journey = load_template("airline")
    store.save_journey(journey)
    assert store.get_journey("airline") == journey
    assert store.count_touchpoints("airline") == len(journey.touchpoints())
    store.save_journey(journey)  # replacing keeps one copy
    assert store.count_touchpoints("airline") == len(journey.touchpoints())
    assert store.list_journey_ids() == ["airline"]


def test_unknown_journey_names_the_stored_ones(store: Store) -> None:
    store.save_journey(load_template("hotel"))
    with pytest.raises(NotFoundError, match=r"no journey 'nope'.*stored: hotel"):
        store.get_journey("nope")


def test_duplicates_are_recognised_across_and_within_batches(store: Store) -> None:
    first = store.add_feedback([_record("1"), _record("2"), _record("2")])
    assert (first.inserted, first.duplicates) == (2, 1)
    again = store.add_feedback([_record("1"), _record("3")])
    assert (again.inserted, again.duplicates) == (1, 1)
    assert store.count_feedback() == 3


def test_feedback_keeps_scores_and_time_zone(store: Store) -> None:
    shanghai = timezone(timedelta(hours=8))
    created = datetime(2026, 9, 1, 20, 30, tzinfo=shanghai)
    store.add_feedback([_record("a", "排队太久", nps=3, created_at=created, meta={"store": "Jing'an"})])
    frame = store.feedback_frame()
    row = frame.iloc[0]
    assert row["text"] == "排队太久"
    assert row["nps"] == 3
    assert row["created_at"] == pd.Timestamp(created).tz_convert(UTC)
    assert row["meta"] == {"store": "Jing'an"}


def _analysed(ids: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    results = pd.DataFrame(
        {
            "feedback_id": ids,
            "language": ["zh-Hans"] * 2,
            "normalised": ["a", "b"],
            "sentiment": [-0.5, 0.6],
            "label": ["negative", "positive"],
            "emotion": ["poor", "happy"],
        }
    )
    mentions = pd.DataFrame(
        {
            "feedback_id": ids[:1],
            "touchpoint_id": ["serving_time"],
            "sentiment": [-0.5],
            "phrase": ["上菜太慢了"],
            "emotion": ["poor"],
            "point": ["慢"],
        }
    )
    return results, mentions


def test_an_analysed_chunk_replaces_its_records_and_counts_in_its_run(store: Store) -> None:
    store.save_journey(load_template("catering"))
    store.add_feedback([_record("1"), _record("2", "菜很好吃"), _record("3", "还行")])
    ids = store.feedback_frame()["feedback_id"].tolist()
    run = store.start_analysis_run(journey_id="catering", version="v1", redo_all=False, options={})
    assert store.count_pending(run) == 3
    results, mentions = _analysed(ids[:2])
    store.commit_analysis_chunk(run, results, mentions)
    store.commit_analysis_chunk(run, results, mentions)  # the same records again: replaced, not appended
    analysed = store.analysis_frame("catering")
    assert analysed["label"].tolist() == ["negative", "positive"]
    frame = store.mentions_frame("catering")
    assert frame["touchpoint_id"].tolist() == ["serving_time"] and set(frame["brand"]) == {"Own"}
    assert store.count_pending(run) == 1
    assert [c["feedback_id"].tolist() for c in store.pending_chunks(run, 10)] == [ids[2:]]
    finished = store.finish_analysis_run(run.id)
    assert (finished.status, finished.analysed, finished.mentions, finished.untagged) == ("done", 4, 2, 2)
    newer = store.start_analysis_run(journey_id="catering", version="v2", redo_all=False, options={})
    assert store.count_pending(newer) == 3  # another version: every record again
    redo = store.start_analysis_run(journey_id="catering", version="v1", redo_all=True, options={})
    assert store.count_pending(redo) == 3  # --all: every record, whatever its version
    assert [r.status for r in store.list_analysis_runs("catering")] == ["done", "superseded", "running"]


def test_the_store_and_a_frame_draw_the_same_stratified_sample(store: Store) -> None:
    from carlzon.sampling import sample_ids

    channels = [Channel.APP_REVIEW] * 30 + [Channel.SURVEY] * 10
    store.add_feedback(
        [
            FeedbackRecord(source="s.csv", external_id=str(i), channel=c, brand="Own", text=f"t{i}")
            for i, c in enumerate(channels)
        ]
    )
    picked = store.sample_feedback_ids(8, seed=3)
    frame = store.feedback_frame()
    assert picked == sample_ids(frame["feedback_id"], frame["channel"], 8, 3)
    chosen = frame[frame["feedback_id"].isin(picked)]
    assert chosen["channel"].value_counts().to_dict() == {"app_review": 6, "survey": 2}  # in proportion
    assert store.sample_feedback_ids(8, seed=3) == picked != store.sample_feedback_ids(8, seed=4)
    assert store.sample_feedback_ids(100) == sorted(frame["feedback_id"])


def test_tasks_are_stored_with_ids(store: Store) -> None:
    store.save_journey(load_template("catering"))
    task = store.add_task(
        Task(
            journey_id="catering",
            touchpoint_id="serving_time",
            title="Cut ticket times",
            department="Kitchen",
            priority=Priority.HIGH,
        )
    )
    assert task.id is not None
    listed = store.list_tasks("catering")
    assert [(t.id, t.priority, t.status.value) for t in listed] == [(task.id, Priority.HIGH, "open")]


def test_empty_database_asks_for_upgrade(tmp_path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(StorageError, match="carlzon db upgrade"):
        store.check_schema()


def test_unknown_dialect_is_named() -> None:
    with pytest.raises(ConfigError, match="'mysql' is not supported"):
        Store.from_url("mysql://root@localhost/test")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrading_clears_the_neutral_sentiment_stored_for_text_less_records(
    backend: str, request: pytest.FixtureRequest, tmp_path
) -> None:
    """Revision 0008: records analysed before it with no text kept sentiment 0.0 / neutral."""
    from sqlalchemy import text

    from carlzon.storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}" if backend == "sqlite" else request.getfixturevalue("postgres_url")
    store = Store.from_url(url)
    try:
        upgrade(store.engine, "0007")
        store.save_journey(load_template("catering"))
        store.add_feedback([_record("1"), _record("2", "", nps=9)])
        ids = store.feedback_frame()["feedback_id"].tolist()
        insert = text(
            "INSERT INTO analysis_results (feedback_id, journey_id, language, normalised, sentiment, label, emotion,"
            " analysed_at, version) VALUES (:id, 'catering', 'zh-Hans', :n, :s, :l, :e, :at, 'v1')"
        )
        now = datetime.now(UTC)
        with store.engine.begin() as connection:
            told = {"id": ids[0], "n": "上菜太慢了", "s": -0.6, "l": "negative", "e": "poor", "at": now}
            connection.execute(insert, told)
            connection.execute(insert, {"id": ids[1], "n": "", "s": 0.0, "l": "neutral", "e": "neutral", "at": now})
        assert upgrade(store.engine) == HEAD
        analysed = store.analysis_frame("catering").sort_values("feedback_id")
        assert analysed["sentiment"].tolist()[0] == -0.6 and pd.isna(analysed["sentiment"].tolist()[1])
        assert analysed["label"].tolist()[0] == "negative" and analysed["label"].isna().tolist() == [False, True]
        assert analysed["emotion"].tolist()[0] == "poor" and analysed["emotion"].isna().tolist() == [False, True]
    finally:
        store.dispose()
