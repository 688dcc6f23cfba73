"""Any bytes in: every row accounted for, no exception but a CarlzonError escapes, nothing stored
unredacted (issue #17, acceptance). Hypothesis draws both raw bytes and CSV / JSON Lines / JSON
made of hostile cells."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from itertools import count
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from carlzon.errors import CarlzonError
from carlzon.ingest import Mapping, import_source
from carlzon.storage import Store

PHONE = "13812345678"
CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "10", "1,0", "-3", "0001-01-01", "01/02/2026", "=HYPERLINK(1)", "\x00", "\ud800", '"']),
    st.text(max_size=10).map(lambda t: f"{t} 电话{PHONE} {t}"),
    st.binary(max_size=12).map(lambda b: b.decode("latin-1")),
)
COLUMNS = ["text", "nps", "date", "customer", "note", "id", "评论", ""]
HEADERS = st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=5)
_sources = count()


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def files(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["bytes", "csv", "jsonl", "json"]))
    if kind == "bytes":
        return draw(st.sampled_from([".csv", ".tsv", ".jsonl", ".json"])), draw(st.binary(max_size=400))
    header = draw(HEADERS)
    rows = draw(st.lists(st.lists(CELLS, min_size=len(header), max_size=len(header)), max_size=8))
    if kind == "csv":
        return ".csv", _csv(header, rows)
    objects = [dict(zip(header, row, strict=False)) for row in rows]
    text = "\n".join(json.dumps(o) for o in objects) if kind == "jsonl" else json.dumps(objects)
    cut = draw(st.integers(0, len(text)))  # sometimes cut off anywhere
    return f".{kind}", text[: cut if draw(st.booleans()) else len(text)].encode("utf-8", "surrogatepass")


def test_any_file_is_accounted_for_and_nothing_leaks(tmp_path: Path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'fuzz.db'}")
    store.upgrade()
    folder = Path(tempfile.mkdtemp(dir=tmp_path))

    examples = int(os.environ.get("CARLZON_FUZZ_EXAMPLES", "150"))

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(files())
    # Found by a random CI run: a cell whose later line starts with a bare CR broke the check for
    # rows swallowed by an unclosed quote.
    @example((".csv", b'text,text,text,text,text\r\n,,,,\r\n,,,,\r\n,,,,\r\n,,,,"\n\r0"\r\n'))
    def check(file: tuple[str, bytes]) -> None:
        suffix, data = file
        source = f"f{next(_sources)}{suffix}"
        path = folder / source
        path.write_bytes(data)
        mapping = Mapping(channel="store", columns={"customer_id": "customer"} if b"customer" in data else {})
        try:
            report = import_source(path, store=store, mapping=mapping, source=source)
        except CarlzonError:
            return  # a one-line error for the user: allowed; anything else fails the test
        assert report.balanced, report
        stored = store.feedback_frame()
        stored = stored[stored["source"] == source]
        assert PHONE not in " ".join(stored["text"]) + json.dumps(stored["meta"].tolist(), ensure_ascii=False)
        assert not stored["customer_id"].dropna().str.fullmatch(r"(?!cid_).+").any()
        for entry in store.list_quarantine(source=source):
            others = {k: v for k, v in entry.raw.items() if k not in (entry.field, "id")}
            assert PHONE not in json.dumps(others, ensure_ascii=False), entry

    check()
    store.dispose()
