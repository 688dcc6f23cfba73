"""Hostile and clumsy files: a one-line error or a quarantined row, and the good rows kept (issue #17, item 5)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from carlzon.errors import InputError
from carlzon.ingest import Mapping, import_source
from carlzon.storage import Store
from tests.cli.test_cli import carlzon

STORE = Mapping(channel="store")


def test_binary_garbage_is_refused_by_name(tmp_path: Path, sqlite_store: Store) -> None:
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(range(256)) * 12)  # was: UnicodeEncodeError: surrogates not allowed
    with pytest.raises(InputError, match=r"garbage\.csv looks like a binary file"):
        import_source(path, store=sqlite_store, mapping=STORE)


def test_an_excel_file_renamed_csv_and_the_reverse_say_what_they_are(tmp_path: Path, sqlite_store: Store) -> None:
    workbook = tmp_path / "book.csv"
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match=r"rename it \.xlsx"):
        import_source(workbook, store=sqlite_store, mapping=STORE)
    text = tmp_path / "sheet.xlsx"
    text.write_text("text,nps\n好,9\n", encoding="utf-8")  # was: BadZipFile
    with pytest.raises(InputError, match=r"rename it \.csv"):
        import_source(text, store=sqlite_store, mapping=STORE)


def test_a_bad_byte_in_a_header_name_loses_no_row(tmp_path: Path, sqlite_store: Store) -> None:
    path = tmp_path / "header.csv"
    path.write_bytes(b"text,n\xffote\n" + b"".join(f"good {i},{i}\n".encode() for i in range(10)))
    report = import_source(path, store=sqlite_store, mapping=STORE)
    assert (report.imported, report.quarantined) == (10, 0)
    assert sqlite_store.feedback_frame()["meta"].iloc[0] == {"n\\xffote": "0"}


def test_an_unpaired_surrogate_quarantines_its_row_only(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"text":"ok 1"}\n{"text":"bad \\ud800 x"}\n{"text":"ok 2"}\n', encoding="utf-8")
    report = import_source(path, store=store, mapping=STORE)
    assert (report.read, report.imported, report.quarantined) == (3, 2, 1)
    (entry,) = store.list_quarantine()
    assert entry.field == "text" and "unpaired surrogate" in entry.reason


def test_a_date_out_of_range_in_a_time_zone_quarantines_its_row_only(tmp_path: Path, sqlite_store: Store) -> None:
    path = tmp_path / "dates.csv"
    path.write_text("text,date\nok,2026-11-01\nold,0001-01-01\nok2,2026-11-02\n", encoding="utf-8")
    report = import_source(path, store=sqlite_store, mapping=Mapping(channel="store", timezone="Asia/Shanghai"))
    assert (report.imported, report.quarantined) == (2, 1)  # was: OverflowError, the whole import aborted
    assert "out of the range of dates" in sqlite_store.list_quarantine()[0].reason


def test_a_nul_byte_quarantines_its_row_on_both_databases(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "nul.csv"
    path.write_text("text,nps\nok,9\nbad\x00nul,3\nfine,5\n", encoding="utf-8")
    report = import_source(path, store=store, mapping=STORE)
    assert (report.imported, report.quarantined) == (2, 1)  # was on PostgreSQL: DataError, good rows lost
    assert "NUL byte" in store.list_quarantine()[0].reason


def test_a_workspace_that_is_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    (tmp_path / "in.csv").write_text("text\n好\n", encoding="utf-8")
    result = carlzon("import", "in.csv", "--channel", "store", "-w", "afile", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "is a file, not a folder" in result.stderr


def test_a_busy_sqlite_database_is_a_one_line_exit_4(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    (tmp_path / "in.csv").write_text("text\n好\n", encoding="utf-8")
    assert carlzon("db", "upgrade", "-w", str(workspace), cwd=tmp_path).returncode == 0
    holder = sqlite3.connect(workspace / "carlzon.db")
    holder.execute("BEGIN EXCLUSIVE")  # another writer holds the file
    try:
        started = time.monotonic()
        result = carlzon(
            "import", "in.csv", "--channel", "store", "-w", str(workspace), cwd=tmp_path,
            env={"CARLZON_SQLITE_BUSY_TIMEOUT": "1"},
        )  # fmt: skip
        assert time.monotonic() - started < 60
    finally:
        holder.rollback()
        holder.close()
    assert result.returncode == 4, result.stderr
    assert "the database is busy" in result.stderr and "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.startswith("error:")]) == 1


def test_two_first_commands_on_an_empty_postgresql_database_both_succeed(postgres_url: str, tmp_path: Path) -> None:
    # Without a lock both ran Alembic's first migration and one failed on alembic_version (UniqueViolation).
    command = [sys.executable, "-m", "carlzon", "db", "upgrade", "--database-url", postgres_url]
    processes = [
        subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in processes]
    assert [code for code, _ in results] == [0, 0], results
    assert Store.from_url(postgres_url).is_initialised()
