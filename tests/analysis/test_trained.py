"""Trained models and their evaluation: file contents, the --json shape, and quality on real data."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import joblib
import pytest

from carlzon.analysis.trained import evaluate_model, train_model
from carlzon.errors import InputError
from tests.cli.test_cli import carlzon
from tests.conftest import dataset


def _labelled(path: Path) -> Path:
    rows = ["review,stars"]
    for i in range(60):
        rows.append(f"上菜很快，味道很好 {i},good")
        rows.append(f"等了一个小时才上菜，太慢了 {i},bad")
        rows.append(f"the food was delicious and fast {i},good")
        rows.append(f"we waited forever and it was cold {i},bad")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_model_file_records_its_data_and_metrics(tmp_path: Path) -> None:
    data = _labelled(tmp_path / "labelled.csv")
    out = tmp_path / "models" / "sentiment.joblib"
    train_model("sentiment", data, text_column="review", label_column="stars", out=out)
    model = joblib.load(out)
    assert model["task"] == "sentiment" and model["labels"] == ["bad", "good"]
    assert model["data_sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    assert model["n_train"] == 240 and model["holdout_metrics"]["accuracy"] > 0.95
    assert list(model["pipeline"].predict(["上菜太慢了，等了很久", "delicious food"])) == ["bad", "good"]


def test_evaluate_json_shape_and_errors(tmp_path: Path) -> None:
    data = _labelled(tmp_path / "labelled.csv")
    out = tmp_path / "m.joblib"
    trained = carlzon(
        "train",
        "sentiment",
        "--data",
        str(data),
        "--text-column",
        "review",
        "--label-column",
        "stars",
        "--out",
        str(out),
        cwd=tmp_path,
    )
    assert trained.returncode == 0, trained.stderr
    result = carlzon(
        "evaluate",
        "sentiment",
        "--model",
        str(out),
        "--data",
        str(data),
        "--text-column",
        "review",
        "--label-column",
        "stars",
        "--json",
        cwd=tmp_path,
    )
    report = json.loads(result.stdout)
    assert set(report) == {"n", "accuracy", "macro_f1", "per_class"} and report["n"] == 240
    assert set(report["per_class"]) == {"bad", "good"}
    with pytest.raises(InputError, match="is a sentiment model, not a touchpoints model"):
        evaluate_model("touchpoints", data, text_column="review", label_column="stars", model=out)
    missing = carlzon("evaluate", "sentiment", "--data", str(data), "--text-column", "body", cwd=tmp_path)
    assert missing.returncode == 2 and "no column 'body'" in missing.stderr


@pytest.mark.slow
def test_trained_sentiment_beats_the_measured_baselines(tmp_path: Path) -> None:
    # Baselines measured in ../shared/research/nlp-deps.md (TF-IDF + LR): waimai 0.903, airline 0.797 / 0.729.
    for name, accuracy, macro_f1 in (("waimai_10k", 0.903, 0.0), ("twitter_us_airline_sentiment", 0.797, 0.729)):
        out = tmp_path / f"{name}.joblib"
        train_model("sentiment", dataset(name, "train"), text_column="text", label_column="label", out=out)
        result = evaluate_model("sentiment", dataset(name), text_column="text", label_column="label", model=out)
        assert result.accuracy >= accuracy and result.macro_f1 >= macro_f1, (name, result)


@pytest.mark.slow
def test_zero_shot_sentiment_meets_the_waimai_target_with_unlabelled_feedback() -> None:
    # Self-training on the test texts plus train.csv's texts (never its labels); target 0.85.
    result = evaluate_model(
        "sentiment",
        dataset("waimai_10k"),
        text_column="text",
        label_column="label",
        model=None,
        unlabeled=dataset("waimai_10k", "train"),
    )
    assert result.accuracy >= 0.85


@pytest.mark.slow
def test_zero_shot_sentiment_beats_the_lexicon_baselines() -> None:
    waimai = evaluate_model("sentiment", dataset("waimai_10k"), text_column="text", label_column="label", model=None)
    assert waimai.accuracy >= 0.77  # best PyPI lexicon measured at 0.77 (nlp-deps.md)
    tweets = evaluate_model(
        "sentiment", dataset("twitter_us_airline_sentiment"), text_column="text", label_column="label", model=None
    )
    assert tweets.macro_f1 >= 0.45  # VADER measured at 0.45 macro-F1
