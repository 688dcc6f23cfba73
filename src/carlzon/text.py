"""Chinese scripts and character widths: the conversions journeys and analysis both need.

OpenCC with Taiwan phrasing (軟體 ↔ 软件); NFKC for full-width characters.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc


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


def to_simplified_strict(text: str) -> str:
    """Traditional → simplified character by character (no phrase mapping): tells the scripts apart."""
    return _converter("t2s").convert(text)
