"""The moments-of-truth commands on the demo workspace, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carlzon.config import Settings
from carlzon.demo import PLANTED, run_demo
from tests.cli.test_cli import carlzon


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = tmp_path_factory.mktemp("mot") / "ws"
    run_demo(Settings(workspace=workspace))
    return workspace


def test_journey_map_names_peak_trough_end(demo_ws: Path, tmp_path: Path) -> None:
    result = carlzon("journey-map", "-w", str(demo_ws), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"peak: {PLANTED['peak']}   trough: {PLANTED['trough']}   end: {PLANTED['end']}" in result.stdout


def test_mot_rank_json_and_weights(demo_ws: Path, tmp_path: Path) -> None:
    result = carlzon("mot", "rank", "--json", "-w", str(demo_ws), cwd=tmp_path)
    ranking = json.loads(result.stdout)
    assert ranking["ranking"][0]["touchpoint_id"] == PLANTED["trough"]
    assert ranking["candidates"] == 16 and ranking["focused"] <= 16
    assert any(r.startswith("drives loyalty") for r in ranking["ranking"][0]["reasons"])
    bad = carlzon("mot", "rank", "--weights", "beauty=1", "-w", str(demo_ws), cwd=tmp_path)
    assert bad.returncode == 2 and "unknown criterion 'beauty'" in bad.stderr


def test_drivers_funnel_scores_and_review(demo_ws: Path, tmp_path: Path) -> None:
    drivers = carlzon("drivers", "-w", str(demo_ws), cwd=tmp_path)
    assert "serving_time" in drivers.stdout.split("┃ quadrant")[1].splitlines()[2]  # the top driver
    funnel = carlzon(
        "funnel",
        "--tree",
        str(demo_ws / "store_funnel.yaml"),
        "--data",
        str(demo_ws / "store_funnel_daily.csv"),
        "--journey",
        "catering",
        "-w",
        str(demo_ws),
        cwd=tmp_path,
    )
    assert "returned ← weakest" in funnel.stdout and "serving_time: MOT rank 1" in funnel.stdout
    scores = carlzon("scores", "--by", "channel", "-w", str(demo_ws), cwd=tmp_path)
    assert "survey" in scores.stdout and scores.returncode == 0
    review = carlzon("review", "-w", str(demo_ws), cwd=tmp_path)
    assert "It worked" in review.stdout
    added = carlzon(
        "review",
        "add",
        "--touchpoint",
        "taste",
        "--date",
        "2026-09-01",
        "--description",
        "New chef",
        "--brand",
        "Red Lantern 红灯笼",
        "-w",
        str(demo_ws),
        cwd=tmp_path,
    )
    assert added.returncode == 0, added.stderr
    again = carlzon("review", "-w", str(demo_ws), cwd=tmp_path)
    verdict = again.stdout.split("New chef", 1)[1].strip()
    assert verdict.startswith(("It did not work", "Not proven"))  # no change was planted at taste
    wrong = carlzon(
        "review",
        "add",
        "--touchpoint",
        "teleport",
        "--date",
        "2026-09-01",
        "--description",
        "x",
        "-w",
        str(demo_ws),
        cwd=tmp_path,
    )
    assert wrong.returncode == 2 and "no touchpoint 'teleport'" in wrong.stderr
    # An improvement too young to judge (no feedback after it yet) waits; it hides no other verdict.
    young = carlzon(
        "review", "add", "--touchpoint", "serving_time", "--date", "2026-11-30", "--description", "Second pass",
        "--brand", "Red Lantern 红灯笼", "-w", str(demo_ws), cwd=tmp_path,
    )  # fmt: skip
    assert young.returncode == 0, young.stderr
    waiting = carlzon("review", "-w", str(demo_ws), cwd=tmp_path)
    assert waiting.returncode == 0 and "It worked" in waiting.stdout and "New chef" in waiting.stdout
    assert "not yet reviewed:" in waiting.stderr and "Second pass" in waiting.stderr


def test_outputs_that_cannot_be_written_are_one_line_errors(demo_ws: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    for args, what in (
        (["report", "--out", str(blocker / "report.html")], "report"),
        (["quarantine", "export", "--out", str(blocker / "fix.csv")], "quarantine export"),
    ):
        result = carlzon(*args, "-w", str(demo_ws), cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert f"cannot write the {what} to {blocker}" in result.stderr and "is a file, not a folder" in result.stderr
        assert "Traceback" not in result.stderr
    labelled = tmp_path / "labelled.csv"
    rows = [f"上菜很快 {i},good\n等了一个小时 {i},bad" for i in range(10)]
    labelled.write_text("text,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    trained = carlzon("train", "sentiment", "--data", str(labelled), "--out", str(blocker / "m.npz"), cwd=tmp_path)
    assert trained.returncode == 2 and "cannot write the model to" in trained.stderr, trained.stderr
    assert "Traceback" not in trained.stderr


def test_the_report_in_chinese(demo_ws: Path, tmp_path: Path) -> None:
    simplified = tmp_path / "报告.html"
    done = carlzon("report", "--lang", "zh-Hans", "--out", str(simplified), "-w", str(demo_ws), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    html = simplified.read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in html and "关键时刻排序" in html and "旅程地图：情感曲线" in html
    assert "Moments of truth, ranked" not in html
    assert f'data-touchpoint="{PLANTED["trough"]}"' in html  # the same content, in other words
    traditional = tmp_path / "報告.html"
    env = {"CARLZON_LANG": "zh-Hant"}  # the setting, when --lang is not given
    done = carlzon("report", "--out", str(traditional), "-w", str(demo_ws), cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "關鍵時刻" in traditional.read_text(encoding="utf-8")
    wrong = carlzon("report", "--lang", "fr", "-w", str(demo_ws), cwd=tmp_path)
    assert wrong.returncode == 2 and "--lang 'fr'" in wrong.stderr
