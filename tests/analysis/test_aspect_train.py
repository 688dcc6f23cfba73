"""`carlzon train aspects` and `analyze --aspect-model`: a model of touchpoint mentions' polarity,
learnt from the user's aspect labels, reads what the opinion words do not know."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from carlzon.analysis.training.aspects import evaluate_aspects, train_aspects
from carlzon.cli import app
from carlzon.errors import InputError
from carlzon.journeys import load_template

SLOW = ["上菜{}拖沓", "这家上菜{}拖沓", "上菜{}拖拖沓沓", "每次上菜都{}拖沓"]
SMOOTH = ["上菜{}行云流水", "这家上菜{}行云流水", "上菜节奏{}行云流水", "每次上菜都{}行云流水"]
FILLERS = ["", "有些", "总是", "依旧", "还是"]
MAP = {"speed": "serving_time"}


def _labelled(tmp_path: Path) -> Path:
    rows = [(t.format(f), -1) for t in SLOW for f in FILLERS] + [(t.format(f), 1) for t in SMOOTH for f in FILLERS]
    path = tmp_path / "labelled.csv"
    pd.DataFrame(rows, columns=["text", "speed"]).to_csv(path, index=False)
    return path


def _sentiment_at(text: str, model: Path | None) -> float:
    frame = pd.DataFrame({"feedback_id": [1], "text": [text]})
    from carlzon.analysis.pipeline import default_pipeline

    pipeline = default_pipeline(load_template("catering"), aspect_model=model)
    mentions = pipeline.fit_transform(frame)["mentions"].iloc[0]
    return next(m["sentiment"] for m in mentions if m["touchpoint_id"] == "serving_time")


def test_a_trained_aspect_model_reads_what_the_lexicon_does_not(tmp_path: Path) -> None:
    out = tmp_path / "aspects.npz"
    model = train_aspects(_labelled(tmp_path), journey=load_template("catering"), label_map=MAP, out=out)
    assert out.exists() and model["task"] == "aspects" and model["n_train"] == 40
    unseen = "这一次上菜又是拖沓"
    assert _sentiment_at(unseen, None) == 0.0  # no opinion word the pairing knows: neutral
    assert _sentiment_at(unseen, out) < -0.2
    assert _sentiment_at("这一次上菜也是行云流水", out) > 0.2
    assert _sentiment_at("上菜太慢了", out) == _sentiment_at("上菜太慢了", None)  # an opinion word read stays


def test_evaluate_with_the_model_beats_zero_shot_on_held_out_texts(tmp_path: Path) -> None:
    out = tmp_path / "aspects.npz"
    train_aspects(_labelled(tmp_path), journey=load_template("catering"), label_map=MAP, out=out)
    held_out = tmp_path / "held_out.csv"
    pd.DataFrame([("今天上菜特别拖沓", -1), ("今天上菜特别行云流水", 1)], columns=["text", "speed"]).to_csv(
        held_out, index=False
    )
    journey = load_template("catering")
    zero_shot = evaluate_aspects(held_out, journey=journey, label_map=MAP)
    trained = evaluate_aspects(held_out, journey=journey, label_map=MAP, model=out)
    assert zero_shot["polarity_accuracy"] == 0.0 and trained["polarity_accuracy"] == 1.0


def test_too_few_aspects_to_learn_from_is_said(tmp_path: Path) -> None:
    path = tmp_path / "few.csv"
    pd.DataFrame([("上菜拖沓", -1), ("上菜行云流水", 1)], columns=["text", "speed"]).to_csv(path, index=False)
    with pytest.raises(InputError, match="too few labelled aspects"):
        train_aspects(path, journey=load_template("catering"), label_map=MAP, out=tmp_path / "m.npz")


def test_cli_trains_and_analyze_uses_the_model(tmp_path: Path) -> None:
    label_map = tmp_path / "map.yaml"
    label_map.write_text("speed: serving_time\n", encoding="utf-8")
    out = tmp_path / "aspects.npz"
    runner = CliRunner()
    trained = runner.invoke(
        app,
        [
            *("train", "aspects", "--data", str(_labelled(tmp_path)), "--journey", "catering"),
            *("--label-map", str(label_map), "--out", str(out)),
        ],
    )
    assert trained.exit_code == 0, trained.output
    assert "trained on 40 touchpoint mentions" in trained.output
    feedback = tmp_path / "feedback.csv"
    pd.DataFrame({"text": ["这一次上菜又是拖沓"], "nps": [3]}).to_csv(feedback, index=False)
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["import", str(feedback), "--channel", "survey", "-w", str(ws)]).exit_code == 0
    assert runner.invoke(app, ["journeys", "load", "catering", "-w", str(ws)]).exit_code == 0
    analysed = runner.invoke(app, ["analyze", "--journey", "catering", "--aspect-model", str(out), "-w", str(ws)])
    assert analysed.exit_code == 0, analysed.output
    wrong = runner.invoke(app, ["analyze", "--journey", "catering", "--aspect-model", str(feedback), "-w", str(ws)])
    assert wrong.exit_code != 0 and "Traceback" not in wrong.output
    from carlzon.storage import Store

    mentions = Store.from_url(f"sqlite:///{ws / 'carlzon.db'}").mentions_frame("catering")
    assert mentions.loc[mentions["touchpoint_id"] == "serving_time", "sentiment"].iloc[0] < -0.2


def test_a_model_of_another_task_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "aspects.npz"
    train_aspects(_labelled(tmp_path), journey=load_template("catering"), label_map=MAP, out=out)
    from carlzon.analysis.training.modelfiles import load_model

    with pytest.raises(InputError, match="is a aspects model, not a sentiment model"):
        load_model(out, "sentiment")
