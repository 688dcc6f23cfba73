"""One message catalogue for every place Carlzon speaks: the web pages, the HTML report and the
CLI. Messages are written in English in the code (gettext's msgids); ``locale/zh_Hans.po`` holds
their simplified Chinese, and traditional Chinese is derived from it with OpenCC (Taiwan
phrasing), unless ``locale/zh_Hant.po`` says otherwise for a message.

Why read the .po files at run time (with Babel) instead of compiled .mo files: the catalogue is
small, read once per process, and there is then no build step that a fresh checkout could miss.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "zh-Hans", "zh-Hant")
DEFAULT = "en"
LOCALE = Path(__file__).parent / "locale"
NAMES = {"en": "English", "zh-Hans": "简体中文", "zh-Hant": "繁體中文"}

_HANT_REGIONS = ("tw", "hk", "mo", "hant")


def normalise(tag: str | None) -> str | None:
    """A language tag as one of LANGUAGES: zh, zh-CN, zh-SG → zh-Hans; zh-TW, zh-HK, zh-MO, zh-Hant →
    zh-Hant; en-* → en; anything else → None."""
    if not tag:
        return None
    parts = tag.strip().replace("_", "-").lower().split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] == "zh":
        return "zh-Hant" if any(p in _HANT_REGIONS for p in parts[1:]) else "zh-Hans"
    return None


def negotiate(*preferred: str | None, accept_language: str | None = None) -> str:
    """The first of ``preferred`` (e.g. ?lang=, the user's setting) that is a language Carlzon
    speaks, else the best of the browser's Accept-Language, else English."""
    for tag in preferred:
        found = normalise(tag)
        if found:
            return found
    for tag, _quality in _accepted(accept_language or ""):
        found = normalise(tag)
        if found:
            return found
    return DEFAULT


def browser_languages(accept_language: str | None) -> list[str]:
    """The languages of Carlzon's that a browser's Accept-Language names, best first (others left out)."""
    found = (normalise(tag) for tag, _quality in _accepted(accept_language or ""))
    return list(dict.fromkeys(tag for tag in found if tag))


def _accepted(header: str) -> list[tuple[str, float]]:
    """Accept-Language's tags, best first."""
    tags = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            tags.append((tag, quality, position))
    return [(tag, quality) for tag, quality, _ in sorted(tags, key=lambda t: (-t[1], t[2]))]


class CatalogueTranslations(gettext.NullTranslations):
    """gettext's interface over a dict of msgid → msgstr (an untranslated message falls back to
    its English msgid)."""

    def __init__(self, messages: dict[str, str]) -> None:
        super().__init__()
        self.messages = messages

    def gettext(self, message: str) -> str:
        return self.messages.get(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self.ngettext(singular, plural, n)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of ``language`` (one of LANGUAGES; anything else is English)."""
    language = normalise(language) or DEFAULT
    if language == "en":
        return gettext.NullTranslations()
    simplified = read_catalogue(LOCALE / "zh_Hans.po")
    if language == "zh-Hans":
        return CatalogueTranslations(simplified)
    from carlzon.text import to_traditional

    derived = {msgid: to_traditional(text) for msgid, text in simplified.items()}
    return CatalogueTranslations(derived | read_catalogue(LOCALE / "zh_Hant.po"))


def read_catalogue(path: Path) -> dict[str, str]:
    """msgid → msgstr of a .po file (empty when the file is absent); fuzzy entries are left out."""
    if not path.exists():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalogue = read_po(handle)
    return {
        str(message.id): str(message.string)
        for message in catalogue
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy
    }


def gettext_for(language: str) -> Callable[[str], str]:
    """The ``_`` of ``language``."""
    return translations(language).gettext


_active: ContextVar[str] = ContextVar("carlzon_language", default=DEFAULT)


def activate(language: str | None) -> str:
    """Make ``language`` the one ``_`` speaks in this context (a CLI run, a report being written);
    returns the language in force."""
    chosen = normalise(language) or DEFAULT
    _active.set(chosen)
    return chosen


@contextmanager
def speaking(language: str | None) -> Iterator[str]:
    """``_`` speaks ``language`` inside the block."""
    token = _active.set(normalise(language) or DEFAULT)
    try:
        yield _active.get()
    finally:
        _active.reset(token)


def active() -> str:
    return _active.get()


def _(message: str) -> str:
    """``message`` in the language in force (see activate / speaking)."""
    return translations(_active.get()).gettext(message)


__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "NAMES",
    "_",
    "activate",
    "active",
    "gettext_for",
    "negotiate",
    "normalise",
    "speaking",
    "translations",
]
