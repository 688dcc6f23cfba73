"""One contract for every registered analyzer, built-in or plugin; and both engines agree."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from carlzon.analysis.base import Analyzer, PassthroughAnalyzer
from carlzon.analysis.engine import analyse_feedback, run
from carlzon.analysis.pipeline import Pipeline, default_pipeline
from carlzon.errors import AnalysisError
from carlzon.journeys import load_template
from carlzon.plugins import analyzer_class, analyzers, register_analyzer, unregister_analyzer

TEXTS = ["等了四十分钟才上菜，太慢了", "服務員態度很好", "The crew was amazing", "", "ok 👍", "菜很好吃，但是太贵了"]


def _instance(name: str) -> Analyzer:
    cls = analyzer_class(name)
    return cls(load_template("catering")) if name == "touchpoints" else cls()


def _inputs_for(analyzer: Analyzer) -> pd.DataFrame:
    """A batch holding every column the analyzer requires (made by the built-ins before it)."""
    batch = pd.DataFrame({"feedback_id": range(len(TEXTS)), "text": TEXTS})
    for name in ("language", "normalise", "sentiment"):
        step = _instance(name)
        if any(c in analyzer.requires and c not in batch for c in step.produces):
            batch = step.fit_transform(batch)
    return batch


@pytest.mark.parametrize("name", sorted(analyzers()))
def test_every_analyzer_keeps_the_contract(name: str) -> None:
    analyzer = _instance(name)
    batch = _inputs_for(analyzer)
    assert analyzer.fit(batch) is analyzer
    out = analyzer.transform(batch)
    assert len(out) == len(batch) and list(out.index) == list(batch.index)  # no row dropped or moved
    assert set(analyzer.produces) <= set(out.columns)
    assert set(batch.columns) <= set(out.columns)
    again = _instance(name).fit(batch).transform(batch)
    pd.testing.assert_frame_equal(out, again)  # deterministic
    empty = analyzer.transform(batch.head(0))  # the Dask engine derives meta from this
    assert len(empty) == 0 and set(analyzer.produces) <= set(empty.columns)


def test_pipeline_refuses_non_analyzers_and_impossible_orders() -> None:
    with pytest.raises(TypeError, match="Analyzer instances"):
        Pipeline([lambda frame: frame])  # type: ignore[list-item]
    with pytest.raises(AnalysisError, match=r"needs column\(s\) \['language'\]"):
        Pipeline([_instance("sentiment")]).transform(pd.DataFrame({"text": ["x"]}))


def test_a_plugin_registered_for_one_test_joins_the_pipeline() -> None:
    class ShoutingAnalyzer(Analyzer):
        name = "shouting"
        produces = ("shouting",)

        def transform(self, batch: pd.DataFrame) -> pd.DataFrame:
            return batch.assign(shouting=[str(t).isupper() and len(str(t)) > 3 for t in batch["text"]])

    register_analyzer("shouting", ShoutingAnalyzer)
    try:
        pipeline = Pipeline([analyzer_class("shouting")(), PassthroughAnalyzer()])
        out = pipeline.fit_transform(pd.DataFrame({"text": ["WORST FLIGHT EVER", "fine"]}))
        assert out["shouting"].tolist() == [True, False]
    finally:
        unregister_analyzer("shouting")
    assert "shouting" not in analyzers()


def test_local_and_dask_engines_agree_exactly(tmp_path: Path) -> None:
    pytest.importorskip("dask.dataframe", reason="the dask extra is not installed")
    texts = [TEXTS[i % len(TEXTS)] + f" #{i}" for i in range(240)]
    frame = pd.DataFrame({"feedback_id": range(240), "text": texts})
    frame.to_parquet(tmp_path / "feedback.parquet")
    journey = load_template("catering")
    local = run(default_pipeline(journey), frame, engine="local").reset_index(drop=True)
    on_dask = run(default_pipeline(journey), tmp_path / "feedback.parquet", engine="dask").reset_index(drop=True)
    pd.testing.assert_frame_equal(local, on_dask, check_dtype=False)
    assert len(analyse_feedback(frame, journey).results) == 240


def test_engines_share_one_self_trained_fit(tmp_path: Path) -> None:
    pytest.importorskip("dask.dataframe", reason="the dask extra is not installed")
    texts = [TEXTS[i % len(TEXTS)] + f" #{i}" for i in range(720)]  # enough rows to self-train on
    frame = pd.DataFrame({"feedback_id": range(720), "text": texts})
    frame.to_parquet(tmp_path / "feedback.parquet")
    journey = load_template("catering")
    local = run(default_pipeline(journey), frame, engine="local").reset_index(drop=True)
    on_dask = run(default_pipeline(journey), tmp_path / "feedback.parquet", engine="dask").reset_index(drop=True)
    assert local["label"].tolist() == on_dask["label"].tolist()
    assert local["sentiment"].tolist() == on_dask["sentiment"].tolist()  # feature rows are canonical: same bits


def test_the_same_records_read_the_same_in_any_chunking() -> None:
    texts = [TEXTS[i % len(TEXTS)] + f" #{i}" for i in range(720)]
    frame = pd.DataFrame({"feedback_id": range(720), "text": texts})
    pipeline = default_pipeline(load_template("catering"))
    pipeline.fit(frame)
    whole = pipeline.transform(frame)
    pieces = pd.concat([pipeline.transform(frame.iloc[i : i + 97]) for i in range(0, 720, 97)])
    pd.testing.assert_frame_equal(whole, pieces)


@pytest.mark.parametrize("name", sorted(analyzers()))
def test_an_analyzer_that_learns_refuses_to_transform_unfitted(name: str) -> None:
    analyzer = _instance(name)
    batch = _inputs_for(analyzer)
    if not (analyzer.learns_from_batch or name == "touchpoints"):
        assert len(analyzer.transform(batch)) == len(batch)  # nothing to learn: works as it is
        return
    with pytest.raises(AnalysisError, match="not fitted"):
        analyzer.transform(batch)
