"""Files that used to import wrongly without a word (issue #17, item 6)."""

from __future__ import annotations

import json
from pathlib import Path

from carlzon.ingest import Mapping, import_source
from carlzon.storage import Store

STORE = Mapping(channel="store")


def _texts(store: Store) -> list[str]:
    return store.feedback_frame().sort_values("feedback_id")["text"].tolist()


def test_utf8_cut_off_in_its_last_character_stays_utf8(tmp_path: Path, sqlite_store: Store) -> None:
    path = tmp_path / "cut.csv"
    path.write_bytes("text\n很好吃啊\n服务一般\n不错".encode() + "好".encode()[:2])  # was read as GB18030: 寰堝ソ…
    report = import_source(path, store=sqlite_store, mapping=STORE)
    assert report.encoding == "utf-8"
    assert _texts(sqlite_store) == ["很好吃啊", "服务一般"]
    assert report.quarantined == 1  # the broken tail, not a guess at it


def test_utf16_and_utf32_files_with_a_bom_are_read(tmp_path: Path, sqlite_store: Store) -> None:
    for encoding in ("utf-16", "utf-32"):
        path = tmp_path / f"{encoding}.csv"
        path.write_text(f"id,text\n{encoding}-1,上菜太慢\n{encoding}-2,Great staff\n", encoding=encoding)
        report = import_source(path, store=sqlite_store, mapping=STORE)
        assert (report.imported, report.quarantined) == (2, 0), encoding  # was: every row quarantined
    assert _texts(sqlite_store) == ["上菜太慢", "Great staff"] * 2


def test_one_json_object_is_one_record(tmp_path: Path, sqlite_store: Store) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "x1", "text": "排队太久"}, ensure_ascii=False), encoding="utf-8")
    report = import_source(path, store=sqlite_store, mapping=STORE)
    assert (report.read, report.imported) == (1, 1)  # was: nothing imported, exit code 0


def test_a_cut_off_json_array_keeps_every_complete_element(tmp_path: Path, sqlite_store: Store) -> None:
    elements = [json.dumps({"id": f"e{i}", "text": f"评论 {i}"}, ensure_ascii=False) for i in range(11_999)]
    whole = "[" + ",".join(elements) + "]"
    path = tmp_path / "cut.json"
    path.write_text(whole[: whole.rindex('{"id": "e11998"') + 10], encoding="utf-8")
    report = import_source(path, store=sqlite_store, mapping=STORE)
    assert report.imported == 11_998  # was 10,000: the batch being read when the array broke was lost
    assert report.quarantined == 1 and "breaks off" in sqlite_store.list_quarantine()[0].reason


def test_a_decimal_comma_is_not_read_as_thousands(tmp_path: Path, sqlite_store: Store) -> None:
    path = tmp_path / "nps.csv"
    path.write_text('text,nps,reach\n好,"1,0",5\n好吃,9,"1,200"\n', encoding="utf-8")
    report = import_source(path, store=sqlite_store, mapping=STORE)
    assert (report.imported, report.quarantined) == (1, 1)  # "1,0" was stored as NPS 10
    assert sqlite_store.feedback_frame()["reach"].tolist() == [1200]
    assert "decimals with a point" in sqlite_store.list_quarantine()[0].reason


def test_a_date_that_reads_both_ways_needs_to_be_told(tmp_path: Path, sqlite_store: Store) -> None:
    path = tmp_path / "dates.csv"
    path.write_text("id,text,date\n1,好,01/02/2026\n2,好,13/02/2026\n", encoding="utf-8")
    guessed = import_source(path, store=sqlite_store, mapping=STORE)
    assert (guessed.imported, guessed.quarantined) == (1, 1)  # 13/02 is clear; 01/02 was read day-first silently
    assert "--dayfirst or --monthfirst" in sqlite_store.list_quarantine()[0].reason
    told = tmp_path / "told.csv"
    told.write_text("id,text,date\n3,好,01/02/2026\n", encoding="utf-8")
    import_source(told, store=sqlite_store, mapping=Mapping(channel="store", dayfirst=False))
    dates = sqlite_store.feedback_frame().set_index("external_id")["created_at"]
    assert (dates["2"].month, dates["2"].day) == (2, 13)
    assert (dates["3"].month, dates["3"].day) == (1, 2)


def test_a_quote_never_closed_swallows_no_row(tmp_path: Path, sqlite_store: Store) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('id,text,nps\n1,good,9\n2,"bad comment,3\n3,fine,5\n4,ok,7\n5,nice,8\n', encoding="utf-8")
    report = import_source(path, store=sqlite_store, mapping=STORE)
    assert (report.read, report.imported, report.quarantined) == (5, 4, 1)  # was: read 2, rows 3-5 lost in a cell
    assert sorted(sqlite_store.feedback_frame()["external_id"]) == ["1", "3", "4", "5"]
    assert "never closed" in sqlite_store.list_quarantine()[0].reason


def test_a_comment_with_line_breaks_is_still_one_cell(tmp_path: Path, sqlite_store: Store) -> None:
    path = tmp_path / "multiline.csv"
    path.write_text('id,text,nps\n1,"line one\nline two, and more",9\n2,ok,5\n', encoding="utf-8")
    report = import_source(path, store=sqlite_store, mapping=STORE)
    assert (report.imported, report.quarantined) == (2, 0)
    assert _texts(sqlite_store)[0] == "line one\nline two, and more"


def test_a_workbook_of_several_sheets_needs_the_sheet_named(tmp_path: Path, sqlite_store: Store) -> None:
    import pytest
    from openpyxl import Workbook

    from carlzon.errors import InputError

    book = Workbook()
    book.active.title = "Jan"
    book.active.append(["id", "text"])
    book.active.append(["j1", "上菜慢"])
    february = book.create_sheet("Feb")
    february.append(["id", "text"])
    february.append(["f1", "很好吃"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    with pytest.raises(InputError, match=r"2 sheets \(Jan, Feb\).*--sheet"):  # was: Feb ignored silently
        import_source(path, store=sqlite_store, mapping=STORE)
    report = import_source(path, store=sqlite_store, mapping=STORE, sheet="Feb")
    assert report.imported == 1 and _texts(sqlite_store) == ["很好吃"]


def test_formulas_without_saved_values_are_refused_not_read_as_empty(tmp_path: Path, sqlite_store: Store) -> None:
    import pytest
    from openpyxl import Workbook

    from carlzon.errors import InputError

    book = Workbook()  # written by a program, never opened in Excel: no cached values
    book.active.append(["id", "text", "nps"])
    book.active.append(["1", "上菜慢", "=2+1"])
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    with pytest.raises(InputError, match=r"cell C2: the formula =2\+1 has no calculated value"):
        import_source(path, store=sqlite_store, mapping=STORE)
