"""`carlzon evaluate aspects`: the metrics by hand on a small file of each format, its errors, and
the quality floors on the real ASAP and SemEval reviews (a regression fails here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from carlzon.analysis.training.aspects import evaluate_aspects
from carlzon.analysis.training.labelled import load_label_map
from carlzon.cli import app
from carlzon.errors import InputError
from carlzon.journeys import load_template
from tests.conftest import DATASETS, dataset

ROOT = Path(__file__).resolve().parents[2]
MAPS = ROOT / "examples" / "label_maps"
WIDE_MAP = {"speed": "serving_time", "taste": "taste", "decor": "environment", "noise": "environment", "parking": None}


def _wide(tmp_path: Path) -> Path:
    path = tmp_path / "wide.csv"
    path.write_text(
        "text,speed,taste,decor,noise,parking\n"
        "等了四十分钟才上菜，味道很好,-1,1,-2,-2,-2\n"  # both found, both right
        "装修很漂亮，就是有点吵,-2,-2,1,-1,-2\n"  # decor + and noise -: a conflict, left out of polarity
        "点了一份牛肉,-2,0,-2,-2,1\n"  # taste neutral and found neutral
        "停车方便,-2,-2,-2,-2,1\n",  # parking is mapped to nothing
        encoding="utf-8",
    )
    return path


def test_wide_format_metrics_by_hand(tmp_path: Path) -> None:
    report = evaluate_aspects(_wide(tmp_path), journey=load_template("catering"), label_map=WIDE_MAP)
    assert report["n"] == 4
    assert report["polarity_accuracy"] == 1.0  # serving_time -, taste + (the conflict is not counted)
    assert report["per_touchpoint"]["taste"]["support"] == 2 and report["per_touchpoint"]["taste"]["f1"] == 1.0
    assert report["per_touchpoint"]["environment"]["polar"] == 0
    assert report["neutral_f1"] == 1.0
    assert report["phrase_chars_median"] <= 10


def test_long_format_groups_rows_into_texts(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        "text,label,aspect,sentence_id\n"
        "Great food but the service was slow,positive,food,1\n"
        "Great food but the service was slow,negative,service,1\n"
        "We went on a Tuesday,neutral,anecdotes/miscellaneous,2\n",
        encoding="utf-8",
    )
    report = evaluate_aspects(
        path,
        journey=load_template("catering"),
        label_map=load_label_map(MAPS / "semeval_restaurant_aspects.yaml"),
        data_format="long",
        group_column="sentence_id",
    )
    assert report["n"] == 2 and report["polarity_accuracy"] == 1.0
    assert report["per_touchpoint"]["service_attitude"]["support"] == 1


def test_a_bad_code_names_the_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("text,speed\n上菜很快,1\n上菜很慢,maybe\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.csv: row 3, column speed: 'maybe' is not a polarity"):
        evaluate_aspects(path, journey=load_template("catering"), label_map={"speed": "serving_time"})
    with pytest.raises(InputError, match="not a touchpoint of journey 'catering'"):
        evaluate_aspects(path, journey=load_template("catering"), label_map={"speed": "warp_drive"})


def test_cli_prints_the_named_json_fields(tmp_path: Path) -> None:
    label_map = tmp_path / "map.yaml"
    label_map.write_text("speed: serving_time\ntaste: taste\ndecor: environment\nnoise: environment\nparking: null\n")
    args = ["evaluate", "aspects", "--journey", "catering", "--label-map", str(label_map)]
    result = CliRunner().invoke(app, [*args, "--data", str(_wide(tmp_path)), "--format", "wide", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) >= {
        "n",
        "detection_macro_f1",
        "polarity_accuracy",
        "neutral_f1",
        "per_touchpoint",
        "phrase_chars_median",
    }
    missing = CliRunner().invoke(app, ["evaluate", "aspects", "--data", str(_wide(tmp_path))])
    assert missing.exit_code == 2 and "needs --journey and --label-map" in missing.output


def _asap() -> Path:
    path = DATASETS / "asap_sample" / "train.csv"
    if not path.exists():
        pytest.skip(f"{path} is absent; the shared datasets are needed for this quality test")
    return path


def test_asap_touchpoint_polarity_and_phrases_hold() -> None:
    """The issue's targets (bench/aspects.py: polarity 0.873, every touchpoint with 20 or more polar
    labels 0.835 or more, detection macro-F1 0.852, phrases 8 characters; baselines 0.669 and 0.798)."""
    report = evaluate_aspects(
        _asap(), journey=load_template("catering"), label_map=load_label_map(MAPS / "asap_aspects.yaml")
    )
    assert report["polarity_accuracy"] >= 0.85
    polar = {tp: s["polarity_accuracy"] for tp, s in report["per_touchpoint"].items() if s["polar"] >= 20}
    assert min(polar.values()) >= 0.80, polar
    assert report["detection_macro_f1"] >= 0.85
    assert report["phrase_chars_median"] <= 20


def test_semeval_touchpoint_polarity_and_phrases_hold() -> None:
    """The issue's target, 0.90 (measured 0.924; baseline 0.80), and phrases of at most 8 words (5)."""
    report = evaluate_aspects(
        dataset("semeval2014_restaurants_acsa"),
        journey=load_template("catering"),
        label_map=load_label_map(MAPS / "semeval_restaurant_aspects.yaml"),
        data_format="long",
        group_column="sentence_id",
    )
    assert report["polarity_accuracy"] >= 0.90
    assert report["phrase_words_median"] <= 8
