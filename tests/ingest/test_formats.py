"""Every reader and every encoding, through the real import into a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from carlzon.ingest.mapping import Mapping
from carlzon.ingest.readers import detect_encoding
from carlzon.ingest.service import import_source
from carlzon.storage import Store

ROWS = [
    ("r1", "排队等了一个小时，服务员态度很差", "3"),
    ("r2", "The crew was amazing", "10"),
    ("r3", "價格太貴了，不划算", "5"),
]


def _write_delimited(path: Path, delimiter: str, encoding: str, rows=ROWS) -> Path:
    lines = [delimiter.join(("id", "comment", "nps"))] + [delimiter.join(r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _texts(store: Store) -> list[str]:
    return store.feedback_frame().sort_values("external_id")["text"].tolist()


@pytest.mark.parametrize(
    ("encoding", "expected", "rows"),
    [
        ("utf-8", "utf-8", ROWS),
        ("utf-8-sig", "utf-8-sig", ROWS),
        ("gb18030", "gb18030", [r for r in ROWS if r[0] != "r3"]),
        ("big5", "big5", [("r1", "排隊等了一個小時，服務員態度很差", "3"), ("r3", "價格太貴了，不划算", "5")]),
    ],
)
def test_csv_encodings_are_detected(tmp_path: Path, sqlite_store: Store, encoding: str, expected: str, rows) -> None:
    path = _write_delimited(tmp_path / "in.csv", ",", encoding, rows)
    assert detect_encoding(path) == expected
    report = import_source(path, store=sqlite_store, mapping=Mapping(channel="survey"))
    assert (report.read, report.imported, report.quarantined) == (len(rows), len(rows), 0)
    assert report.encoding == expected
    assert _texts(sqlite_store) == [r[1] for r in rows]


def test_forced_encoding_wins(tmp_path: Path, sqlite_store: Store) -> None:
    path = _write_delimited(tmp_path / "in.csv", ",", "gb18030", ROWS[:2])
    report = import_source(path, store=sqlite_store, mapping=Mapping(channel="survey"), encoding="gbk")
    assert report.encoding == "gbk" and report.imported == 2


def test_tsv(tmp_path: Path, sqlite_store: Store) -> None:
    path = _write_delimited(tmp_path / "in.tsv", "\t", "utf-8")
    report = import_source(path, store=sqlite_store, mapping=Mapping(channel="chat"))
    assert report.format == "tsv" and report.imported == 3
    assert set(sqlite_store.feedback_frame()["nps"]) == {3, 10, 5}


def test_xlsx(tmp_path: Path, sqlite_store: Store) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "comment", "nps", "date"])
    for ident, text, nps in ROWS:
        sheet.append([ident, text, int(nps), None])
    sheet["D2"] = __import__("datetime").datetime(2026, 11, 1, 9, 30)
    book.save(tmp_path / "in.xlsx")
    report = import_source(tmp_path / "in.xlsx", store=sqlite_store, mapping=Mapping(channel="store"))
    assert (report.format, report.imported) == ("xlsx", 3)
    frame = sqlite_store.feedback_frame().sort_values("external_id")
    assert frame.iloc[0]["created_at"].isoformat() == "2026-11-01T09:30:00+00:00"


def test_jsonl_and_json_array(tmp_path: Path, sqlite_store: Store) -> None:
    objects = [{"id": i, "text": t, "nps": int(n), "extra": {"k": 1}} for i, t, n in ROWS]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in objects), encoding="utf-8")
    (tmp_path / "in.json").write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    first = import_source(tmp_path / "in.jsonl", store=sqlite_store, mapping=Mapping(channel="social"))
    second = import_source(tmp_path / "in.json", store=sqlite_store, mapping=Mapping(channel="social"))
    assert (first.format, first.imported, second.format, second.imported) == ("jsonl", 3, "json", 3)
    meta = sqlite_store.feedback_frame()["meta"].tolist()
    assert {"extra": "{'k': 1}"} in meta


def test_same_file_twice_adds_nothing_and_contenthash_dedupes_idless_rows(tmp_path: Path, sqlite_store: Store) -> None:
    path = tmp_path / "noid.csv"
    path.write_text("comment,nps\n上菜太慢,2\n上菜太慢,2\nGreat,9\n", encoding="utf-8")
    first = import_source(path, store=sqlite_store, mapping=Mapping(channel="store"))
    again = import_source(path, store=sqlite_store, mapping=Mapping(channel="store"))
    assert (first.imported, first.duplicates) == (2, 1)
    assert (again.imported, again.duplicates, again.read) == (0, 3, 3)
    assert sqlite_store.count_feedback() == 2


def test_personal_data_is_redacted_before_storage(tmp_path: Path, sqlite_store: Store) -> None:
    path = tmp_path / "pii.csv"
    path.write_text("id,comment\n1,王先生电话13812345678，邮箱 wang@example.com\n", encoding="utf-8")
    import_source(path, store=sqlite_store, mapping=Mapping(channel="call_centre"))
    assert _texts(sqlite_store) == ["[NAME]先生电话[PHONE]，邮箱 [EMAIL]"]


def test_two_process_pipeline_gives_the_same_result(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    lines = ["id,comment,nps,date"]
    for i in range(3000):
        nps = 11 if i % 97 == 0 else i % 11
        lines.append(f"k{i % 2500},评论 {i} 电话1381234{i % 10000:04d},{nps},2026-11-{1 + i % 28:02d}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = []
    for workers in (1, 2):
        store = Store.from_url(f"sqlite:///{tmp_path / f'w{workers}.db'}")
        store.upgrade()
        report = import_source(path, store=store, mapping=Mapping(channel="survey"), workers=workers, batch_size=400)
        frame = store.feedback_frame().drop(columns=["feedback_id"]).sort_values("external_id").reset_index(drop=True)
        results.append((report.read, report.imported, report.duplicates, report.quarantined, frame))
        store.dispose()
    (read1, imp1, dup1, q1, frame1), (read2, imp2, dup2, q2, frame2) = results
    valid_ids = {f"k{i % 2500}" for i in range(3000) if i % 97 != 0}
    broken = sum(1 for i in range(3000) if i % 97 == 0)
    expected = (3000, len(valid_ids), 3000 - broken - len(valid_ids), broken)
    assert (read1, imp1, dup1, q1) == (read2, imp2, dup2, q2) == expected
    assert frame1.equals(frame2)
    assert "[PHONE]" in frame1.iloc[0]["text"]
