"""The message catalogue: every message the pages (and the report) show has its Chinese, with the
same placeholders; languages are negotiated as browsers and users ask."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from carlzon.i18n import negotiate, normalise, read_catalogue, translations

SRC = Path(__file__).resolve().parents[2] / "src" / "carlzon"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def messages(folder: Path) -> set[str]:
    found = extract_from_dir(
        folder,
        [("**/templates/**.j2", "jinja2"), ("**.py", "python")],
        {"**/templates/**.j2": {"extensions": "jinja2.ext.i18n"}},
        keywords={"_": None, "N_": None, "gettext": None},
    )
    return {message for _file, _line, message, _comments, _context in found if isinstance(message, str)}


@pytest.mark.parametrize("folder", ["web", "reports", "cli", "surveys"])
def test_every_message_has_its_simplified_chinese_with_the_same_placeholders(folder: str) -> None:
    catalogue = read_catalogue(SRC / "i18n" / "locale" / "zh_Hans.po")
    wanted = messages(SRC / folder)
    assert wanted, f"no messages found under {folder}: is the extraction broken?"
    missing = sorted(m for m in wanted if not catalogue.get(m))
    assert missing == [], f"add these to src/carlzon/i18n/locale/zh_Hans.po: {missing}"
    for message in wanted:
        assert set(PLACEHOLDER.findall(message)) == set(PLACEHOLDER.findall(catalogue[message])), message


def test_traditional_chinese_is_derived_with_taiwan_phrasing() -> None:
    assert translations("zh-Hans").gettext("Overdue") == "已超时"
    assert translations("zh-Hant").gettext("Overdue") == "已超時"
    assert translations("en").gettext("Overdue") == "Overdue"
    assert translations("zh-Hans").gettext("a message nobody translated") == "a message nobody translated"


@pytest.mark.parametrize(
    ("preferred", "accept", "expected"),
    [
        ((None,), "zh-TW,zh;q=0.9,en;q=0.8", "zh-Hant"),
        ((None,), "fr-FR, zh-CN;q=0.8, en;q=0.5", "zh-Hans"),
        ((None,), "en-GB,en;q=0.9", "en"),
        ((None,), "de, fr;q=0.5", "en"),
        ((None,), None, "en"),
        (("zh-Hant", "en"), "zh-CN", "zh-Hant"),  # ?lang= (or the user's choice) wins over the browser
        (("klingon", None), "zh-HK", "zh-Hant"),
    ],
)
def test_negotiation(preferred: tuple[str | None, ...], accept: str | None, expected: str) -> None:
    assert negotiate(*preferred, accept_language=accept) == expected


def test_normalise_tags() -> None:
    assert [normalise(t) for t in ("zh", "zh_CN", "zh-Hans-SG", "zh-hant", "zh-MO", "en-US", "ja", "")] == [
        "zh-Hans",
        "zh-Hans",
        "zh-Hans",
        "zh-Hant",
        "zh-Hant",
        "en",
        None,
        None,
    ]
