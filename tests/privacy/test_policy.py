"""Every place a value is stored: text, unmapped columns, customer ids, quarantined rows, exports."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from carlzon.config import Settings
from carlzon.errors import ConfigError
from carlzon.ingest import FeedbackRecord, Mapping, import_source
from carlzon.ingest.service import export_quarantine, retry_quarantine
from carlzon.storage import Store

HASHED = re.compile(r"cid_[0-9a-f]{32}")
ROWS = (
    "id,comment,nps,customer,note,date\n"
    "1,上菜太慢,3,C001,回电13812345678,2026-11-01\n"
    "2,很好吃,9,C001,,2026-11-02\n"
    "3,一般,5,C002,王先生,2026-11-03\n"
    "4,太咸,2,C003,邮箱 li@example.com 电话13912345678,yesterday\n"
)


def _import(path: Path, store: Store):  # type: ignore[no-untyped-def]
    path.write_text(ROWS, encoding="utf-8")
    mapping = Mapping.from_options(["text=comment", "customer_id=customer", "created_at=date"], channel="store")
    return import_source(path, store=store, mapping=mapping)


def test_meta_is_redacted_and_customer_ids_are_keyed_hashes(tmp_path: Path, store: Store) -> None:
    _import(tmp_path / "in.csv", store)
    frame = store.feedback_frame().sort_values("external_id")
    ids = frame["customer_id"].tolist()
    assert all(HASHED.fullmatch(i) for i in ids), ids
    assert ids[0] == ids[1] != ids[2]  # the same customer still links; another does not
    assert "C001" not in str(frame.to_dict())
    assert frame.iloc[0]["meta"] == {"note": "回电[PHONE]"}
    assert frame.iloc[2]["meta"] == {"note": "[NAME]先生"}


def test_a_quarantined_row_keeps_only_what_fixes_it(tmp_path: Path, sqlite_store: Store) -> None:
    report = _import(tmp_path / "in.csv", sqlite_store)
    assert report.quarantined == 1
    (entry,) = sqlite_store.list_quarantine()
    assert entry.field == "date" and entry.raw["date"] == "yesterday"  # the failing field, as it was
    assert entry.raw["id"] == "4"
    assert entry.raw["note"] == "邮箱 [EMAIL] 电话[PHONE]"
    assert HASHED.fullmatch(entry.raw["customer"])
    assert sorted(entry.raw["_redacted"]) == ["customer", "note"]
    out = tmp_path / "q.csv"
    export_quarantine(store=sqlite_store, out=out)
    (row,) = csv.DictReader(out.open(encoding="utf-8-sig"))
    assert row["_redacted"] == "customer, note" and "13912345678" not in out.read_text("utf-8-sig")
    # Fixed and retried: imported, with the customer linked to the same hash a plain import gives.
    row["date"] = "2026-11-04"
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    retried = retry_quarantine(store=sqlite_store, fixed_file=out)
    assert retried.imported == 1
    again = tmp_path / "c003.csv"
    again.write_text("id,comment,customer\n9,好,C003\n", encoding="utf-8")
    import_source(again, store=sqlite_store, mapping=Mapping.from_options(["customer_id=customer"], channel="store"))
    frame = sqlite_store.feedback_frame().set_index("external_id")
    assert frame.loc["4", "customer_id"] == frame.loc["9", "customer_id"]


def test_add_feedback_applies_the_same_policy(sqlite_store: Store) -> None:
    record = FeedbackRecord(
        source="api", external_id="a", channel="chat", brand="own", text="电话13812345678",
        customer_id="C9", meta={"contact": "wang@example.com"},
    )  # fmt: skip
    sqlite_store.add_feedback([record])
    row = sqlite_store.feedback_frame().iloc[0]
    assert (row["text"], row["meta"]) == ("电话[PHONE]", {"contact": "[EMAIL]"})
    assert HASHED.fullmatch(row["customer_id"])


def test_raw_customer_ids_when_the_workspace_must_keep_them(tmp_path: Path) -> None:
    settings = Settings(workspace=tmp_path, customer_ids="raw")
    store = Store.from_settings(settings)
    store.upgrade()
    _import(tmp_path / "in.csv", store)
    assert set(store.feedback_frame()["customer_id"]) == {"C001", "C002"}


def test_a_configured_key_hashes_and_another_key_is_refused(tmp_path: Path) -> None:
    first = Store.from_settings(Settings(workspace=tmp_path, privacy_key="k" * 32))
    first.upgrade()
    _import(tmp_path / "in.csv", first)
    assert first.privacy().key == b"k" * 32
    with pytest.raises(ConfigError, match="CARLZON_PRIVACY_KEY is not the key"):
        Store.from_settings(Settings(workspace=tmp_path, privacy_key="other" * 8)).privacy()
    # A process without the key would hash with the database's own and stop linking: refused too.
    with pytest.raises(ConfigError, match="set the same key here"):
        Store.from_settings(Settings(workspace=tmp_path)).privacy()
