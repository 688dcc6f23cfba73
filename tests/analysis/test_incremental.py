"""Incremental analysis: each record once per analysis version, whole chunks, resumable, any engine."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import delete

from carlzon.analysis.base import decode_state, encode_state
from carlzon.analysis.engine import transform_chunks
from carlzon.analysis.pipeline import default_pipeline
from carlzon.analysis.service import analyse_journey
from carlzon.demo.generate import generate_example_feedback
from carlzon.errors import AnalysisError
from carlzon.ingest import Channel, FeedbackRecord
from carlzon.journeys import Journey, load_template
from carlzon.storage import Store
from carlzon.storage.tables import AnalysisRow

RESULT_COLUMNS = ["feedback_id", "language", "sentiment", "label", "emotion"]
MENTION_COLUMNS = ["feedback_id", "touchpoint_id", "sentiment", "phrase", "emotion"]


def _records(count: int, *, offset: int = 0, seed: int = 7) -> list[FeedbackRecord]:
    rows = generate_example_feedback(count + offset, seed=seed)[offset:]
    return [
        FeedbackRecord(source="unit", external_id=row.id, channel=Channel(row.channel), brand=row.brand, text=row.text)
        for row in rows
    ]


def _store(path: Path, count: int) -> Store:
    store = Store.from_url(f"sqlite:///{path}")
    store.upgrade()
    store.save_journey(load_template("catering"))
    store.add_feedback(_records(count))
    return store


def _tables(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    results = store.analysis_frame("catering")[RESULT_COLUMNS].sort_values("feedback_id").reset_index(drop=True)
    mentions = store.mentions_frame("catering")[MENTION_COLUMNS]
    return results, mentions.sort_values(["feedback_id", "touchpoint_id"]).reset_index(drop=True)


def _analysed_at(store: Store) -> pd.DataFrame:
    with sqlite3.connect(store.engine.url.database) as connection:
        query = "SELECT feedback_id, analysed_at, run_id FROM analysis_results ORDER BY feedback_id"
        return pd.read_sql(query, connection)


def test_a_second_run_analyses_only_what_is_new(tmp_path: Path) -> None:
    store = _store(tmp_path / "c.db", 900)
    first = analyse_journey(store=store, journey_id="catering", sample=600, chunk=200)
    assert (first.records, first.already_analysed, first.fitted) == (900, 0, True)
    before = _analysed_at(store)
    store.add_feedback(_records(60, offset=900))
    second = analyse_journey(store=store, journey_id="catering", sample=600, chunk=200)
    assert (second.records, second.already_analysed, second.fitted, second.version) == (60, 900, False, first.version)
    after = _analysed_at(store)
    pd.testing.assert_frame_equal(after.head(900), before)  # analysed once, not again
    assert set(after["run_id"].tail(60)) == {second.run_id}
    assert analyse_journey(store=store, journey_id="catering").records == 0
    redone = analyse_journey(store=store, journey_id="catering", redo_all=True, sample=600, chunk=200)
    assert (redone.records, redone.fitted) == (960, True)


def test_new_records_are_read_from_above_the_analysed_ones_and_none_below_is_skipped(store: Store) -> None:
    store.save_journey(load_template("catering"))
    store.add_feedback(_records(300))
    analyse_journey(store=store, journey_id="catering", sample=200, chunk=100)
    highest = int(store.analysis_frame("catering")["feedback_id"].max())
    store.add_feedback(_records(30, offset=300))
    version = store.list_analysis_runs("catering")[-1].version
    run = store.start_analysis_run(journey_id="catering", version=version, redo_all=False, options={})
    assert store._analysed_prefix(run) == highest  # the 30 new records lie above the analysed 300
    assert [len(chunk) for chunk in store.pending_chunks(run, 100)] == [30]
    older = highest - 250
    with store.engine.begin() as connection:  # an older record loses its analysis
        connection.execute(delete(AnalysisRow).where(AnalysisRow.feedback_id == older))
    assert store._analysed_prefix(run) == 0  # the counts no longer prove the shortcut: read from the start
    assert [chunk["feedback_id"].tolist()[:2] for chunk in store.pending_chunks(run, 100)] == [[older, highest + 1]]
    assert analyse_journey(store=store, journey_id="catering").records == 31


def test_new_records_read_as_the_first_run_would_have_read_them(tmp_path: Path) -> None:
    store = _store(tmp_path / "c.db", 900)
    analyse_journey(store=store, journey_id="catering", sample=600, chunk=200)
    store.add_feedback(_records(60, offset=900))
    analyse_journey(store=store, journey_id="catering", sample=600, chunk=200)
    results, mentions = _tables(store)
    # The same 960 records analysed in one run with the same fit (the sample is drawn from the first 900).
    fresh = _store(tmp_path / "fresh.db", 900)
    analyse_journey(store=fresh, journey_id="catering", sample=600, chunk=200)
    fresh.add_feedback(_records(60, offset=900))
    run = fresh.list_analysis_runs("catering")[-1]
    fit = fresh.get_analysis_fit(run.fit_id)
    pipeline = default_pipeline(load_template("catering")).restore_state(decode_state(fit.state))
    texts = fresh.feedback_texts(list(range(1, 961)))
    expected = pd.concat(transform_chunks(pipeline, [texts.iloc[:480], texts.iloc[480:]]))
    assert expected["sentiment"].tolist() == results["sentiment"].tolist()
    assert expected["label"].tolist() == results["label"].tolist()
    assert sum(len(m) for m in expected["mentions"]) == len(mentions)


def test_a_changed_taxonomy_reanalyses_every_record_and_a_renamed_journey_none(tmp_path: Path) -> None:
    store = _store(tmp_path / "c.db", 300)
    first = analyse_journey(store=store, journey_id="catering")
    journey = load_template("catering")
    names_only = journey.model_copy(update={"name": journey.name.model_copy(update={"en": "Our restaurant"})})
    store.save_journey(names_only)  # names and owners do not change what the analysis reads
    assert analyse_journey(store=store, journey_id="catering").records == 0
    definition = journey.model_dump(mode="json")
    taste = next(tp for stage in definition["stages"] for tp in stage["touchpoints"] if tp["id"] == "taste")
    taste["keywords"]["zh_hans"].append("锅气")
    store.save_journey(Journey.model_validate(definition))
    again = analyse_journey(store=store, journey_id="catering")
    assert again.records == 300 and again.version != first.version
    assert [r.status for r in store.list_analysis_runs("catering")] == ["done", "done"]  # a no-op records no run


def test_a_fitted_state_survives_the_round_trip_exactly() -> None:
    frame = pd.DataFrame({"feedback_id": range(700), "text": [r.text for r in generate_example_feedback(700)]})
    fitted = default_pipeline(load_template("catering"))
    fitted.fit(frame.head(600))
    state = fitted.fitted_state()
    assert state and all(not value.dtype.hasobject for value in state.values())
    restored = default_pipeline(load_template("catering")).restore_state(decode_state(encode_state(state)))
    tail = frame.tail(100)
    pd.testing.assert_frame_equal(restored.transform(tail), fitted.transform(tail))


def test_an_unfitted_analyzer_refuses_to_transform() -> None:
    pipeline = default_pipeline(load_template("catering"))
    with pytest.raises(AnalysisError, match="not fitted"):
        pipeline.transform(pd.DataFrame({"feedback_id": [1], "text": ["菜很好吃"]}))


def test_kill_minus_9_mid_run_then_resume_gives_the_uninterrupted_result(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    _store(workspace / "carlzon.db", 8000).dispose()
    reference = tmp_path / "reference.db"
    shutil.copy(workspace / "carlzon.db", reference)
    command = [
        *(sys.executable, "-m", "carlzon", "analyze", "--journey", "catering", "--workspace", str(workspace)),
        *("--chunk-size", "250", "--sample-size", "1000"),
    ]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    database = str(workspace / "carlzon.db")
    done = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        with sqlite3.connect(database, timeout=10) as connection:
            done = connection.execute("SELECT COUNT(*) FROM analysis_results").fetchone()[0]
        if done >= 1500:  # the sample and a couple of chunks are in
            break
        time.sleep(0.02)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    with sqlite3.connect(database) as connection:
        done = connection.execute("SELECT COUNT(*) FROM analysis_results").fetchone()[0]
        chunks = connection.execute("SELECT analysed FROM analysis_runs").fetchone()[0]
    assert 1000 <= done < 8000, f"the kill came at {done} analysed records: {child.stderr.read().decode()[-500:]}"
    assert done == chunks and (done - 1000) % 250 == 0  # whole chunks only, counted with their run
    store = Store.from_url(f"sqlite:///{database}")
    resumed = analyse_journey(store=store, journey_id="catering", chunk=250, sample=1000)
    assert resumed.resumed and resumed.records == 8000 and not resumed.fitted
    uninterrupted = Store.from_url(f"sqlite:///{reference}")
    analyse_journey(store=uninterrupted, journey_id="catering", chunk=250, sample=1000)
    for got, expected in zip(_tables(store), _tables(uninterrupted), strict=True):
        pd.testing.assert_frame_equal(got, expected)


def test_dask_local_cluster_gives_the_local_engines_results(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    local = _store(tmp_path / "local.db", 1500)
    on_dask = _store(tmp_path / "dask.db", 1500)
    analyse_journey(store=local, journey_id="catering", sample=600, chunk=200)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = analyse_journey(
            store=on_dask,
            journey_id="catering",
            engine="dask",
            scheduler=cluster.scheduler_address,
            staging=tmp_path,
            sample=600,
            chunk=200,
        )
    assert summary.records == 1500
    assert list(tmp_path.glob("carlzon-analysis-*")) == []  # the partitions are cleaned up
    for got, expected in zip(_tables(on_dask), _tables(local), strict=True):
        pd.testing.assert_frame_equal(got, expected)


def test_a_score_without_text_gets_no_sentiment_and_does_not_dilute_the_cuts(store: Store) -> None:
    """Issue #17 (13e): NPS-only records were stored as neutral 0.0 and pulled shares towards zero."""
    from carlzon.metrics.service import score_cuts

    store.save_journey(load_template("catering"))
    texts = ["The waiter was rude and the soup was cold", "Lovely dinner and very friendly staff", "", "  ", ""]
    store.add_feedback(
        [
            FeedbackRecord(source="unit", external_id=str(i), channel=Channel.APP_REVIEW, brand="Own", text=t, nps=9)
            for i, t in enumerate(texts)
        ]
    )
    analyse_journey(store=store, journey_id="catering")
    results = store.analysis_frame("catering").sort_values("feedback_id")
    assert results["sentiment"].isna().tolist() == [False, False, True, True, True]
    assert results["label"].tolist()[:2] == ["negative", "positive"] and results["label"].isna().sum() == 3
    assert results["emotion"].isna().sum() == 3
    row = score_cuts(store=store, journey_id="catering", by="channel").iloc[0]
    assert row["records"] == 5 and row["nps_n"] == 5
    assert row["sentiment_n"] == 2 and row["negative_share"] == 0.5
    assert row["sentiment"] == pytest.approx(results["sentiment"].dropna().mean())
