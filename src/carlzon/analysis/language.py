"""Language and script (zh-Hans / zh-Hant / en / other), the text the analyzers read, and their two first steps.

Measured in ../shared/research/nlp-deps.md: a CJK-vs-Latin ratio plus an OpenCC script
rule is as accurate as lingua on en/zh and ~100x faster, so that is the default.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from carlzon.analysis.base import Analyzer
from carlzon.text import to_halfwidth, to_simplified, to_simplified_strict

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_KANA_OR_HANGUL = re.compile(r"[\u3040-\u309f\u30a1-\u30fa\uac00-\ud7af]")  # not "ー" or "・"


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
        simplified = to_simplified_strict(text)
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


def normalised_texts(batch: pd.DataFrame) -> list[str]:
    """The batch's normalised texts: the normalise step's column when it ran, else computed here."""
    if "normalised" in batch:
        return [str(t) for t in batch["normalised"]]
    return [normalise(str(t)) for t in batch["text"]]


class LanguageAnalyzer(Analyzer):
    """Adds ``language``: zh-Hans, zh-Hant, en or other."""

    name = "language"
    produces = ("language",)

    def transform(self, batch: pd.DataFrame) -> pd.DataFrame:
        return batch.assign(language=[detect_language(str(t)) for t in batch["text"]])


class NormaliseAnalyzer(Analyzer):
    """Adds ``normalised``: half-width, simplified, lower-case text (the original is kept)."""

    name = "normalise"
    produces = ("normalised",)

    def transform(self, batch: pd.DataFrame) -> pd.DataFrame:
        return batch.assign(normalised=[normalise(str(t)) for t in batch["text"]])
