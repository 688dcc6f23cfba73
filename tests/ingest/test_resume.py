"""Kill an import with SIGKILL mid-way; the database holds whole batches only, and a rerun completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine

from carlzon.ingest.mapping import Mapping
from carlzon.ingest.service import import_source
from carlzon.storage import Store
from carlzon.storage.tables import FeedbackRow, ImportRunRow, QuarantineRow

ROWS = 120_000
BROKEN_EVERY = 1000  # row ids 0, 1000, 2000 … carry NPS 11


def _write_file(path: Path) -> int:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id,text,nps\n")
        for i in range(ROWS):
            handle.write(f"r{i},上菜等了{i % 60}分钟 waited {i} minutes,{11 if i % BROKEN_EVERY == 0 else i % 11}\n")
    return len(range(0, ROWS, BROKEN_EVERY))


def _counts(engine: Engine) -> tuple[int, int, ImportRunRow | None]:
    with engine.connect() as connection:
        feedback = connection.scalar(select(func.count()).select_from(FeedbackRow)) or 0
        quarantined = connection.scalar(select(func.count()).select_from(QuarantineRow)) or 0
        run = connection.execute(select(ImportRunRow).order_by(ImportRunRow.id.desc())).first()
    return feedback, quarantined, run


def _kill_mid_import(path: Path, url: str, tmp_path: Path) -> ImportRunRow:
    Store.from_url(url).upgrade()
    engine = create_engine(url)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "carlzon",
            "import",
            str(path),
            "--channel",
            "survey",
            "--batch-size",
            "500",
            "--database-url",
            url,
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            _, _, run = _counts(engine)
            if run is not None and run.rows_done >= 3000:
                break
            assert process.poll() is None, "the import ended before it could be killed"
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    feedback, quarantined, run = _counts(engine)
    engine.dispose()
    assert run is not None and run.status == "running"
    assert 0 < run.rows_done < ROWS
    # Whole batches only: what is stored is exactly what the checkpoint says was committed.
    assert (feedback, quarantined) == (run.imported, run.quarantined)
    assert run.imported + run.duplicates + run.quarantined == run.rows_done
    return run


def _resume_and_check(path: Path, url: str, broken: int) -> None:
    killed = _kill_mid_import(path, url, path.parent)
    store = Store.from_url(url)
    try:
        report = import_source(path, store=store, mapping=Mapping(channel="survey"), batch_size=500)
        assert report.resumed_from == killed.rows_done
        assert (report.read, report.imported, report.duplicates, report.quarantined) == (
            ROWS,
            ROWS - broken,
            0,
            broken,
        )
        assert store.count_feedback() == ROWS - broken
        assert len(store.list_quarantine()) == broken
        again = import_source(path, store=store, mapping=Mapping(channel="survey"), batch_size=5000)
        assert (again.imported, again.duplicates, again.quarantined) == (0, ROWS - broken, broken)
        assert store.count_feedback() == ROWS - broken
    finally:
        store.dispose()


@pytest.mark.slow
def test_kill_and_resume_on_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    broken = _write_file(path)
    _resume_and_check(path, f"sqlite:///{tmp_path / 'kill.db'}", broken)


@pytest.mark.slow
def test_kill_and_resume_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    path = tmp_path / "big.csv"
    broken = _write_file(path)
    _resume_and_check(path, postgres_url, broken)
