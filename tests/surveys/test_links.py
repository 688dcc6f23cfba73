"""Survey distribution: public links, QR codes, single-use personal links and the contact-frequency rule."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from carlzon.errors import InputError, StateError
from carlzon.storage.store import Store
from carlzon.surveys.definitions import load_survey
from carlzon.surveys.links import personal_links, survey_url, token_hash, write_qr
from tests.surveys.test_definitions import EXAMPLE

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_public_links_and_qr_codes(tmp_path: Path) -> None:
    url = survey_url("https://cx.example.com/", "catering-visit", store="Shanghai Xuhui", lang="en")
    assert url == "https://cx.example.com/s/catering-visit?store=Shanghai+Xuhui&lang=en"
    assert survey_url("http://127.0.0.1:8000", "s") == "http://127.0.0.1:8000/s/s"
    assert write_qr(url, tmp_path / "q.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (write_qr(url, tmp_path / "q.svg")).read_text(encoding="utf-8")
    with pytest.raises(InputError, match=r"write a \.png or an \.svg"):
        write_qr(url, tmp_path / "q.jpg")


def _links(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_personal_links_are_single_tokens_stored_hashed_and_respect_contact_every(store: Store, tmp_path: Path) -> None:
    store.publish_survey(load_survey(EXAMPLE), actor="test")  # contact_every: 30d
    contacts = tmp_path / "customers.csv"
    contacts.write_text("customer_id,store\nC1,Xuhui\nC2,\n,Xuhui\nC1,Xuhui\n", encoding="utf-8")
    first = personal_links(store=store, survey_id="catering-visit", contacts=contacts, out=tmp_path / "a.csv",
                           base_url="http://x", now=NOW)  # fmt: skip
    assert (first.written, first.asked_recently, first.without_id) == (2, 0, [4])
    rows = _links(tmp_path / "a.csv")
    assert [r["customer_id"] for r in rows] == ["C1", "C2"] and "store=Xuhui" in rows[0]["link"]
    tokens = [r["link"].split("t=")[1] for r in rows]
    assert len(set(tokens)) == 2
    with store.engine.connect() as connection:
        stored = set(connection.execute(text("SELECT token_hash FROM survey_links")).scalars())
        contacts_kept = set(connection.execute(text("SELECT contact FROM survey_links")).scalars())
    assert stored == {token_hash(t) for t in tokens} and not stored & set(tokens)  # only hashes are kept
    assert "C1" not in contacts_kept  # customer ids hashed like everywhere else
    soon = personal_links(store=store, survey_id="catering-visit", contacts=contacts, out=tmp_path / "b.csv",
                          base_url="http://x", now=NOW + timedelta(days=29))  # fmt: skip
    assert (soon.written, soon.asked_recently) == (0, 2)
    later = personal_links(store=store, survey_id="catering-visit", contacts=contacts, out=tmp_path / "c.csv",
                           base_url="http://x", now=NOW + timedelta(days=31))  # fmt: skip
    assert later.written == 2
    store.close_survey("catering-visit")
    with pytest.raises(StateError, match="is closed"):
        personal_links(store=store, survey_id="catering-visit", contacts=contacts, out=tmp_path / "d.csv",
                       base_url="http://x")  # fmt: skip


def test_a_contacts_file_without_ids_is_a_clear_error(sqlite_store: Store, tmp_path: Path) -> None:
    sqlite_store.publish_survey(load_survey(EXAMPLE), actor="test")
    contacts = tmp_path / "c.csv"
    contacts.write_text("name,phone\nA,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"c.csv: no customer id column \(customer_id, .*; have: name, phone\)"):
        personal_links(store=sqlite_store, survey_id="catering-visit", contacts=contacts, out=tmp_path / "o.csv",
                       base_url="http://x")  # fmt: skip


def test_contacts_in_gbk_with_chinese_columns_and_repeated_rows(sqlite_store: Store, tmp_path: Path) -> None:
    sqlite_store.publish_survey(load_survey(EXAMPLE), actor="test")
    contacts = tmp_path / "会员.csv"
    contacts.write_bytes("会员号,门店\nM1,徐汇店\nM2,静安店\nM1,徐汇店\n".encode("gbk"))
    report = personal_links(store=sqlite_store, survey_id="catering-visit", contacts=contacts,
                            out=tmp_path / "o.csv", base_url="http://x")  # fmt: skip
    assert (report.written, report.repeated) == (2, [4])
    assert [r["store"] for r in _links(tmp_path / "o.csv")] == ["徐汇店", "静安店"]
    with pytest.raises(InputError, match="base URL 'not a url'"):
        survey_url("not a url", "s")


def test_publishing_needs_a_known_journey(tmp_path: Path) -> None:
    from tests.cli.test_cli import carlzon

    odd = tmp_path / "odd.yaml"
    odd.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("journey: catering", "journey: nosuch"), encoding="utf-8"
    )
    env = {"CARLZON_WORKSPACE": str(tmp_path / "ws")}
    result = carlzon("surveys", "publish", str(odd), cwd=tmp_path, env=env)
    assert result.returncode == 2 and "'nosuch' is neither stored nor a bundled template" in result.stderr
