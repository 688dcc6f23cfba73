"""The CLI as a user meets it: help that teaches, one-line errors with exit codes, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from carlzon.cli import app

runner = CliRunner()

COMMANDS = [
    [],
    ["demo"],
    ["analyze"],
    ["train"],
    ["evaluate"],
    ["report"],
    ["db"],
    ["db", "upgrade"],
    ["db", "current"],
    ["journeys"],
    ["journeys", "list"],
    ["journeys", "show"],
    ["journeys", "validate"],
    ["journeys", "load"],
    ["import"],
    ["quarantine"],
    ["quarantine", "list"],
    ["quarantine", "export"],
    ["quarantine", "retry"],
    ["journey-map"],
    ["mot"],
    ["mot", "rank"],
    ["drivers"],
    ["funnel"],
    ["scores"],
    ["review"],
    ["review", "add"],
    ["rules"],
    ["rules", "validate"],
    ["rules", "test"],
    ["rules", "apply"],
    ["tasks"],
    ["tasks", "list"],
    ["tasks", "show"],
    ["tasks", "resolve"],
    ["tasks", "assign"],
    ["tasks", "comment"],
    ["tasks", "wait"],
    ["worker"],
    ["serve"],
    ["users"],
    ["users", "add"],
    ["users", "list"],
    ["users", "disable"],
    ["users", "set-role"],
    ["users", "set-password"],
    ["tokens"],
    ["tokens", "create"],
    ["tokens", "list"],
    ["tokens", "revoke"],
    ["audit"],
    ["audit", "list"],
    ["jobs"],
    ["jobs", "list"],
    ["jobs", "run"],
    ["qa"],
    ["qa", "score"],
    ["qa", "evaluate"],
    ["qa", "train"],
    ["qa", "import"],
    ["qa", "report"],
    ["surveys"],
    ["surveys", "validate"],
    ["surveys", "publish"],
    ["surveys", "list"],
    ["surveys", "close"],
    ["surveys", "qr"],
    ["surveys", "links"],
]


def carlzon(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "carlzon", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "carlzon")
def test_every_command_explains_itself(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    leaf = command and command[-1] not in (
        "db",
        "journeys",
        "quarantine",
        "mot",
        "rules",
        "tasks",
        "users",
        "tokens",
        "audit",
        "jobs",
        "qa",
        "surveys",
    )
    if leaf:
        assert "Example: carlzon" in result.output
    else:
        assert "Commands" in result.output


def test_help_shows_install_extras_as_written() -> None:
    """Rich reads "[embeddings]" as a markup tag and would print "pip install 'carlzon'"."""
    result = runner.invoke(app, ["train", "--help"], env={"COLUMNS": "200"})
    assert "carlzon[embeddings]" in result.output


def test_malformed_journey_gives_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: mini\nname: {zh: 迷你, en: Mini}\nindustry: x\nstages:\n  - id: s\n    name: {zh: 一, en: One}\n"
        "    phase: during\n    touchpoints:\n      - id: t\n        name: {zh: 二, en: Two}\n"
        "        owner: Ops\n        moment: third\n        keywords: {zh_hans: [好], en: [good]}\n",
        encoding="utf-8",
    )
    result = carlzon("journeys", "validate", str(bad), cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"{bad}:12: field 'stages[0].touchpoints[0].moment'" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_valid_journey_and_template_show(tmp_path: Path) -> None:
    from carlzon.journeys.templates import template_path

    result = carlzon("journeys", "validate", str(template_path("hotel")), cwd=tmp_path)
    assert result.returncode == 0
    assert "journey 'hotel'" in result.stdout
    shown = runner.invoke(app, ["journeys", "show", "catering"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0
    assert "Serving time · 上菜速度" in shown.output
    assert "Kitchen" in shown.output


def test_journey_names_with_brackets_are_shown_as_written(tmp_path: Path) -> None:
    from carlzon.journeys.templates import template_path

    text = template_path("hotel").read_text(encoding="utf-8").replace("Check-in", "Check-in [/lobby]", 1)
    assert "[/lobby]" in text
    journey = tmp_path / "[hotel].yaml"
    journey.write_text(text, encoding="utf-8")
    validated = carlzon("journeys", "validate", str(journey), cwd=tmp_path)
    assert validated.returncode == 0 and "[hotel].yaml" in validated.stdout, validated.stderr
    shown = carlzon("journeys", "show", str(journey), cwd=tmp_path)
    assert shown.returncode == 0 and "Check-in [/lobby]" in shown.stdout, shown.stderr


def test_missing_journey_file_is_exit_3_without_traceback(tmp_path: Path) -> None:
    result = carlzon("journeys", "validate", "nowhere.yaml", cwd=tmp_path)
    assert result.returncode == 3
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_report_before_any_database_says_what_to_run(tmp_path: Path) -> None:
    result = carlzon("report", "--workspace", str(tmp_path / "ws"), cwd=tmp_path)
    assert result.returncode == 4
    assert "carlzon db upgrade" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_then_journeys_load_and_list(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    assert carlzon("db", "upgrade", "-w", ws, cwd=tmp_path).returncode == 0
    loaded = carlzon("journeys", "load", "airline", "-w", ws, cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    listed = carlzon("journeys", "list", "-w", ws, cwd=tmp_path)
    assert "stored: airline" in listed.stdout


def test_journeys_list_on_a_fresh_workspace_creates_nothing(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    result = carlzon("journeys", "list", "-w", str(ws), cwd=tmp_path)
    assert result.returncode == 0
    assert "catering, airline, hotel, retail, ecommerce" in result.stdout
    assert "no database yet" in result.stdout
    assert not (ws / "carlzon.db").exists()


def test_only_the_resolve_command_offers_the_resolve_options() -> None:
    wait = runner.invoke(app, ["tasks", "wait", "--help"], env={"COLUMNS": "200"}).output
    resolve = runner.invoke(app, ["tasks", "resolve", "--help"], env={"COLUMNS": "200"}).output
    assert "SLA clocks pause" in wait and "--improvement" not in wait and "--contacted" not in wait
    assert "--improvement" in resolve and "--contacted" in resolve


def test_a_reading_command_on_a_missing_workspace_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo-workspace"
    for args in (["deliveries", "list"], ["tasks", "list"], ["users", "list"]):
        result = carlzon(*args, "-w", str(missing), cwd=tmp_path)
        assert result.returncode == 4, result.stderr
        assert "there is no Carlzon database at" in result.stderr and "Traceback" not in result.stderr
    assert not missing.exists()


def test_carlzon_lang_makes_the_cli_speak_chinese(tmp_path: Path) -> None:
    result = carlzon("journeys", "validate", str(tmp_path / "none.yaml"), cwd=tmp_path, env={"CARLZON_LANG": "zh-Hans"})
    assert result.returncode == 3 and result.stderr.startswith("错误：")
    english = carlzon("journeys", "validate", str(tmp_path / "none.yaml"), cwd=tmp_path, env={"CARLZON_LANG": ""})
    assert english.stderr.startswith("error:")
    feedback = tmp_path / "f.csv"
    feedback.write_text("text\n上菜太慢\n服务很好\n", encoding="utf-8")
    env = {"CARLZON_LANG": "zh-Hans"}
    imported = carlzon(
        "import", str(feedback), "--channel", "app_review", "-w", str(tmp_path / "ws"), cwd=tmp_path, env=env
    )
    assert imported.returncode == 0, imported.stderr
    assert "已导入" in imported.stdout and "每秒" in imported.stdout


def test_the_first_admin_can_be_added_to_a_new_workspace(tmp_path: Path) -> None:
    workspace = tmp_path / "new"
    result = subprocess.run(
        [sys.executable, "-m", "carlzon", "users", "add", "alice", "--admin", "--password-stdin", "-w", str(workspace)],
        input="a long enough password\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "added alice (admin)" in result.stdout and (workspace / "carlzon.db").exists()


def test_heavy_modules_load_frozen_and_the_collector_is_left_as_it_was() -> None:
    import gc

    from carlzon.cli._render import load_modules

    assert gc.isenabled()
    load_modules("carlzon.mot.service")
    assert gc.isenabled() and "carlzon.mot.service" in sys.modules
    assert gc.get_freeze_count() > 0  # what the imports made is out of later collections
    gc.disable()
    try:
        load_modules("carlzon.reports")
        assert not gc.isenabled()  # a caller that paused the collector keeps it paused
    finally:
        gc.enable()
