"""The labelled PII corpus (scripts/make_pii_corpus.py): nothing in scope leaks, nothing kept is lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carlzon.privacy.redact import redact

CORPUS = [json.loads(line) for line in (Path(__file__).parent / "pii_corpus.jsonl").read_text("utf-8").splitlines()]
OUT_OF_SCOPE = {"NAME_UNTITLED"}  # names with no title or label: measured by bench/pii.py only


def test_the_corpus_is_large_and_covers_every_language() -> None:
    assert len(CORPUS) >= 300
    assert {entry["lang"] for entry in CORPUS} == {"zh-Hans", "zh-Hant", "en"}


@pytest.mark.parametrize("entry", CORPUS, ids=lambda e: e["text"][:30])
def test_no_personal_data_survives_and_labelled_references_stay(entry: dict) -> None:
    out = redact(entry["text"])
    for item in entry["pii"]:
        if item["kind"] not in OUT_OF_SCOPE:
            assert item["value"] not in out, f"{item['kind']} leaked: {out}"
            assert f"[{item['kind']}]" in out
    for value in entry["keep"]:
        assert value in out, f"{value!r} was redacted: {out}"
