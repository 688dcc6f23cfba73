"""`carlzon import` and `carlzon quarantine` as the README shows them."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.test_cli import carlzon

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "call_centre_export.csv"
ARGS = [
    "--channel",
    "call_centre",
    "--brand",
    "Red Lantern 红灯笼",
    "--map",
    "text=comment",
    "--map",
    "nps=score",
    "--map",
    "id=ticket_no",
    "--map",
    "customer_id=customer",
    "--timezone",
    "Asia/Shanghai",
]


def _counts(output: str) -> list[int]:
    row = re.search(r"│\s*(\d+)\s*│\s*(\d+)\s*│\s*(\d+)\s*│\s*(\d+)\s*│", output)
    assert row, output
    return [int(n) for n in row.groups()]


def test_readme_import_example(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    first = carlzon("import", str(EXAMPLE), *ARGS, "-w", ws, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert _counts(first.stdout) == [7, 3, 1, 3]
    listed = carlzon("quarantine", "list", "-w", ws, cwd=tmp_path)
    assert "11 is not a whole number from 0 to 10" in listed.stdout
    again = carlzon("import", str(EXAMPLE), *ARGS, "-w", ws, cwd=tmp_path)
    assert _counts(again.stdout) == [7, 0, 4, 3]

    fixed = tmp_path / "to_fix.csv"
    assert carlzon("quarantine", "export", "--out", str(fixed), "-w", ws, cwd=tmp_path).returncode == 0
    text = fixed.read_text(encoding="utf-8-sig").replace(",11,", ",10,").replace("yesterday", "2026-11-05")
    fixed.write_text(text, encoding="utf-8-sig")
    retried = carlzon("quarantine", "retry", str(fixed), "-w", ws, cwd=tmp_path)
    assert "imported 2" in retried.stdout and "still quarantined 1" in retried.stdout


def test_mapping_file_and_bad_options(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "columns: {text: comment, nps: score, id: ticket_no}\nchannel: call_centre\ntimezone: Asia/Shanghai\n",
        encoding="utf-8",
    )
    ws = str(tmp_path / "ws")
    result = carlzon("import", str(EXAMPLE), "--mapping", str(mapping), "-w", ws, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _counts(result.stdout) == [7, 3, 1, 3]
    bad = carlzon("import", str(EXAMPLE), "--channel", "fax", "-w", ws, cwd=tmp_path)
    assert bad.returncode == 2 and "'fax' is not a channel" in bad.stderr and "Traceback" not in bad.stderr
    missing = carlzon("import", "nope.csv", "--channel", "store", "-w", ws, cwd=tmp_path)
    assert missing.returncode == 3 and "does not exist" in missing.stderr
    fresh = tmp_path / "fresh"
    folder = carlzon("import", str(tmp_path), "--channel", "store", "-w", str(fresh), cwd=tmp_path)
    assert folder.returncode == 2 and "is a folder, not a file" in folder.stderr and "Traceback" not in folder.stderr
    assert not fresh.exists()  # said before a database was created


def test_brackets_in_user_data_are_shown_not_read_as_markup(tmp_path: Path) -> None:
    """Rich reads "[/b]" as markup: a bad value like that must be listed as written, not crash."""
    data = tmp_path / "[shop] export.csv"
    data.write_text("comment,score\ngood,[/b]\n", encoding="utf-8")
    ws = str(tmp_path / "ws")
    imported = carlzon("import", str(data), "--channel", "store", "--map", "nps=score", "-w", ws, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    listed = carlzon("quarantine", "list", "-w", ws, cwd=tmp_path, env={"COLUMNS": "300"})
    assert listed.returncode == 0 and "Traceback" not in listed.stderr, listed.stderr
    assert "[/b]" in listed.stdout and "[shop] export.csv" in listed.stdout
    out = tmp_path / "[fix].csv"
    exported = carlzon("quarantine", "export", "--out", str(out), "-w", ws, cwd=tmp_path, env={"COLUMNS": "300"})
    assert "[fix].csv" in exported.stdout
    missing = carlzon("import", str(tmp_path / "[/gone].csv"), "--channel", "store", "-w", ws, cwd=tmp_path)
    assert missing.returncode == 3 and "[/gone].csv" in missing.stderr and "Traceback" not in missing.stderr
