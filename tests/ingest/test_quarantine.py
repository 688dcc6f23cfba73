"""Broken rows: every one is quarantined with its row, field and reason; none is lost; all can be fixed."""

from __future__ import annotations

import csv
import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carlzon.errors import InputError
from carlzon.ingest.mapping import Mapping
from carlzon.ingest.service import export_quarantine, import_source, retry_quarantine
from carlzon.storage import Store

HEADER = b"ticket,comment,score,csat,ces,stars,followers,channel,date\n"
GOOD = [
    b"g1,Great food,9,5,2,4.5,10,survey,2026-11-01 12:00\n",
    "g2,上菜太慢了,2,,,,,store,2026/11/02\n".encode(),
    "g3,服務很好,,,,,,app,2026年11月3日\n".encode(),
    b"g4,,8,,,,,survey,\n",  # empty text but a score: kept
]
BROKEN = [
    (b"b1,,,,,,,survey,2026-11-01\n", "comment", "empty text and no score"),
    (b"b2,ok,11,,,,,survey,\n", "score", "11 is not a whole number from 0 to 10"),
    (b"b3,ok,ten,,,,,survey,\n", "score", "'ten' is not a number"),
    (b"b4,ok,7.5,,,,,survey,\n", "score", "7.5 is not a whole number from 0 to 10"),
    (b"b5,ok,,0,,,,survey,\n", "csat", "0 is not a whole number from 1 to 5"),
    (b"b6,ok,,,9,,,survey,\n", "ces", "9 is not a whole number from 1 to 7"),
    (b"b7,ok,,,,6,,survey,\n", "stars", "6 is not between 0 and 5"),
    (b"b8,ok,,,,,-5,social,\n", "followers", "-5 is not a whole number"),
    (b"b9,ok,5,,,,,fax,\n", "channel", "'fax' is not one of"),
    (b"b10,ok,5,,,,,survey,yesterday-ish\n", "date", "'yesterday-ish' is not a date"),
    (b"b11,ok,5,survey\n", "(row)", "row has 4 columns, the header has 9"),
    (b"b12,bad \xff\xfe bytes,5,,,,,survey,\n", "comment", "not valid in the file's encoding"),
    (b"b13," + b"x" * 1_000_000 + b",5,,,,,survey,\n", "comment", "characters; the limit is 20,000"),
]
MAPPING = Mapping(columns={"id": "ticket", "text": "comment", "nps": "score", "rating": "stars", "reach": "followers"})


def _write(path: Path) -> Path:
    lines = [HEADER]
    for index in range(max(len(GOOD), len(BROKEN))):
        if index < len(BROKEN):
            lines.append(BROKEN[index][0])
        if index < len(GOOD):
            lines.append(GOOD[index])
    lines.append(GOOD[0])  # a duplicate of g1
    path.write_bytes(b"".join(lines))
    return path


def test_a_dozen_kinds_of_broken_rows(tmp_path: Path, sqlite_store: Store) -> None:
    path = _write(tmp_path / "dirty.csv")
    report = import_source(path, store=sqlite_store, mapping=MAPPING)
    assert (report.read, report.imported, report.duplicates, report.quarantined) == (18, 4, 1, 13)
    assert report.balanced
    entries = sqlite_store.list_quarantine()
    by_id = {(e.raw.get("ticket") or e.raw.get("column_1")): e for e in entries}
    for line, field, reason in BROKEN:
        ticket = line.split(b",")[0].decode()
        entry = by_id[ticket]
        assert entry.field == field, ticket
        assert reason in entry.reason, (ticket, entry.reason)
        assert entry.source == "dirty.csv"
    rows = {e.raw.get("ticket") or e.raw.get("column_1"): e.row_number for e in entries}
    assert rows["b1"] == 2 and rows["g1" if "g1" in rows else "b2"] == 4  # spreadsheet row numbers
    assert len(by_id["b13"].raw["comment"]) == 1_000_000  # nothing lost, even the huge text
    assert "\\xff\\xfe" in by_id["b12"].raw["comment"]


def test_export_fix_and_retry(tmp_path: Path, store: Store) -> None:
    import_source(_write(tmp_path / "dirty.csv"), store=store, mapping=MAPPING)
    exported = tmp_path / "fix.csv"
    assert export_quarantine(store=store, out=exported) == 13
    with exported.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["ticket"] == "b2":
            row["score"] = "10"
        if row["ticket"] == "b9":
            row["channel"] = "call centre"
    with exported.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = retry_quarantine(store=store, fixed_file=exported)
    assert (report.tried, report.imported, report.still_quarantined) == (13, 2, 11)
    assert len(store.list_quarantine()) == 11
    assert len(store.list_quarantine(status="resolved")) == 2
    assert store.count_feedback() == 6


def test_retry_with_the_stored_rows_after_nothing_changed_keeps_them(tmp_path: Path, sqlite_store: Store) -> None:
    import_source(_write(tmp_path / "dirty.csv"), store=sqlite_store, mapping=MAPPING)
    report = retry_quarantine(store=sqlite_store)
    assert (report.imported, report.still_quarantined) == (0, 13)


def test_reimport_does_not_list_a_row_twice(tmp_path: Path, sqlite_store: Store) -> None:
    path = _write(tmp_path / "dirty.csv")
    import_source(path, store=sqlite_store, mapping=MAPPING)
    again = import_source(path, store=sqlite_store, mapping=MAPPING)
    assert (again.imported, again.duplicates, again.quarantined) == (0, 5, 13)
    assert len(sqlite_store.list_quarantine()) == 13


def test_mapping_mistakes_are_named(tmp_path: Path, sqlite_store: Store) -> None:
    path = _write(tmp_path / "dirty.csv")
    try:
        import_source(path, store=sqlite_store, mapping=Mapping(columns={"text": "body"}, channel="store"))
    except InputError as exc:
        assert "['body']" in str(exc) and "ticket, comment" in str(exc)
    else:
        raise AssertionError("a mapping to a missing column must fail")
    try:
        Mapping.from_options(["txt=comment"])
    except InputError as exc:
        assert "unknown field(s) ['txt']" in str(exc)
    else:
        raise AssertionError("an unknown field must fail")


cell = st.one_of(
    st.text(alphabet=string.printable + "排队好吃貴", max_size=30),
    st.integers(-20, 20).map(str),
    st.sampled_from(["", "survey", "store", "fax", "2026-11-01", "10", "11", "nan", "1e3"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=7), min_size=1, max_size=30))
def test_random_rows_are_never_lost(tmp_path_factory, rows: list[list[str]]) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "random.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "nps", "channel", "date"])
        writer.writerows(rows)
    store = Store.from_url(f"sqlite:///{folder / 'fuzz.db'}")
    store.upgrade()
    try:
        report = import_source(path, store=store, mapping=Mapping(channel="other"), batch_size=7)
        with path.open(encoding="utf-8", newline="") as handle:
            physical = sum(1 for r in csv.reader(handle) if r) - 1  # blank lines hold no row
        assert report.read == physical == sum(1 for r in rows if r)
        assert report.balanced
        assert store.count_feedback() == report.imported
        assert len(store.list_quarantine()) == report.quarantined
    finally:
        store.dispose()
