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
from carlzon.storage.migrate import current_revision, head_revision


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
    assert current_revision(store.engine) == head_revision() is not None
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


def test_analysis_is_replaced_not_appended(store: Store) -> None:
    store.save_journey(load_template("catering"))
    store.add_feedback([_record("1"), _record("2", "菜很好吃")])
    ids = store.feedback_frame()["feedback_id"].tolist()
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
            "feedback_id": ids,
            "touchpoint_id": ["serving_time", "taste"],
            "sentiment": [-0.5, 0.6],
            "phrase": ["上菜太慢了", "菜很好吃"],
        }
    )
    store.save_analysis("catering", results, mentions)
    store.save_analysis("catering", results, mentions)
    analysed = store.analysis_frame("catering")
    assert analysed["label"].tolist() == ["negative", "positive"]
    frame = store.mentions_frame("catering")
    assert sorted(frame["touchpoint_id"]) == ["serving_time", "taste"]
    assert set(frame["brand"]) == {"Own"}


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
