"""What a hostile file can make Carlzon print or write (issue #17, items 8 and 9)."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.cli.test_cli import carlzon

CLEAR_AND_RETITLE = "\x1b[2J\x1b]0;pwned\x07"


def test_escape_sequences_from_data_never_reach_the_terminal(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    rows = ["comment,nps,store,date"]
    rows += [f"上菜太慢了 {i},{i % 11},S{i % 2}{CLEAR_AND_RETITLE},2026-11-{1 + i % 28:02d}" for i in range(40)]
    rows.append(f"很好,9,S1,{CLEAR_AND_RETITLE}")  # quarantined: its reason quotes the bad date
    (tmp_path / "in.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    steps = [
        ("import", "in.csv", "--channel", "store", "-w", ws),
        ("quarantine", "list", "-w", ws),
        ("journeys", "load", "catering", "-w", ws),
        ("analyze", "--journey", "catering", "-w", ws),
        ("scores", "--journey", "catering", "--by", "location", "-w", ws),
    ]
    for step in steps:
        result = carlzon(*step, cwd=tmp_path)
        assert result.returncode == 0, (step, result.stderr)
        assert "\x1b" not in result.stdout + result.stderr, step
    assert "\\x1b[2J" in carlzon(*steps[1], cwd=tmp_path).stdout  # shown, as text


def test_escape_sequences_in_labels_are_shown_as_text_in_errors(tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.csv"
    labelled.write_text(
        "text,label\n" + "".join(f"好吃 {i},{CLEAR_AND_RETITLE}{i % 2}\n" for i in range(20)), encoding="utf-8"
    )
    result = carlzon("evaluate", "sentiment", "--data", str(labelled), "--label-column", "label", cwd=tmp_path)
    assert result.returncode != 0 and "error:" in result.stderr
    assert "\x1b" not in result.stdout + result.stderr


def test_quarantine_export_neutralises_formulas_and_retry_restores_them(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    formulas = ['=HYPERLINK("http://example.invalid","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]
    with (tmp_path / "in.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "comment", "note", "date"])
        for i, formula in enumerate(formulas):
            writer.writerow([f"q{i}", "上菜慢", formula, "not a date"])
    assert carlzon("import", "in.csv", "--channel", "store", "-w", ws, cwd=tmp_path).returncode == 0
    out = tmp_path / "fix.csv"
    assert carlzon("quarantine", "export", "--out", str(out), "-w", ws, cwd=tmp_path).returncode == 0
    exported = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [row["note"] for row in exported] == ["'" + f for f in formulas]
    for row in exported:
        row["date"] = "2026-11-20"
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(exported[0]))
        writer.writeheader()
        writer.writerows(exported)
    retried = carlzon("quarantine", "retry", str(out), "-w", ws, cwd=tmp_path)
    assert retried.returncode == 0, retried.stderr
    from carlzon.config import Settings
    from carlzon.storage import Store

    store = Store.from_settings(Settings(workspace=Path(ws)))
    notes = sorted(meta["note"] for meta in store.feedback_frame()["meta"])
    store.dispose()
    assert notes == sorted(formulas)
