"""Language and script: zh-Hans / zh-Hant / en / other, and conversion between scripts.

Measured in ../shared/research/nlp-deps.md: a CJK-vs-Latin ratio plus an OpenCC script
rule is as accurate as lingua on en/zh and ~100x faster, so that is the default.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import opencc

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_KANA_OR_HANGUL = re.compile(r"[\u3040-\u309f\u30a1-\u30fa\uac00-\ud7af]")  # not "ー" or "・"


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese with Taiwan phrase mapping (軟體 → 软件)."""
    return _converter("tw2sp").convert(text)


def to_traditional(text: str) -> str:
    """Simplified → traditional Chinese with Taiwan phrasing."""
    return _converter("s2twp").convert(text)


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits and punctuation → ASCII (ＡＢＣ１２３！ → ABC123!)."""
    return unicodedata.normalize("NFKC", text)


def detect_language(text: str) -> str:
    """'zh-Hans', 'zh-Hant', 'en' or 'other' for one text."""
    text = to_halfwidth(text)
    han = len(_HAN.findall(text))
    # Japanese writes Han characters too; its kana (or Korean hangul) tell it apart. A stray "の"
    # or "ー" in a Chinese review does not.
    if len(_KANA_OR_HANGUL.findall(text)) >= max(2, han // 5):
        return "other"
    latin = len(_LATIN.findall(text))
    if han == 0 and latin == 0:
        return "other"
    if han >= 2 or (han and han * 3 >= latin):
        simplified = _converter("t2s").convert(text)
        return "zh-Hant" if simplified != text else "zh-Hans"
    return "en" if latin else "other"


# Who a message is addressed to, what it links, and "RT": not what it says ("@united" is not "united").
_ADDRESSES = re.compile(r"(?<![\w@])@\w+|https?://\S+|www\.\S+|\brt\b")


def without_addresses(text: str) -> str:
    """A normalised text without @handles, links and "rt", which sentiment readers must not read."""
    return _ADDRESSES.sub(" ", text)


def unescape_html(text: str) -> str:
    """``&amp;`` → ``&``: tweets and web forms arrive with HTML entities, whose ";" would end a
    clause and whose "amp" would be read as a word."""
    return html.unescape(text) if "&" in text else text


def normalise(text: str) -> str:
    """Text for analysis: HTML entities decoded, half-width, simplified Chinese, lower-case Latin, trimmed.

    The original text is always kept beside it; this is only what the analyzers read.
    """
    return normalise_decoded(unescape_html(text))


def normalise_decoded(text: str) -> str:
    """``normalise`` for text whose HTML entities are already decoded (a clause split from a text)."""
    return to_simplified(to_halfwidth(text)).lower().strip()
