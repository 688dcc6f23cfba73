"""Redact personal data before text is stored for display or shown to anyone.

Covers phone numbers (mainland China mobiles, Hong Kong, Taiwan, US/international formats),
e-mail addresses, mainland resident ID numbers (18 digits, check digit verified) and bank
card numbers (Luhn verified). Order numbers, flight numbers, prices and dates survive,
because only digit runs that pass the format or checksum are replaced.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_CN_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_CARD = re.compile(r"(?<![\d+])(?:\d[ -]?){12,18}\d(?!\d)")
_PHONES = (
    re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)"),  # mainland mobile
    re.compile(r"(?<!\d)(?:\+?852[ -]?)[569]\d{3}[ -]?\d{4}(?!\d)"),  # Hong Kong
    re.compile(r"(?<!\d)(?:\+?886[ -]?|0)9\d{2}[ -]?\d{3}[ -]?\d{3}(?!\d)"),  # Taiwan mobile
    re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)"),  # mainland landline 010-12345678
    re.compile(r"(?<![\w\d])(?:\+1[ -]?)?\(?\d{3}\)?[ -.]\d{3}[ -.]\d{4}(?!\d)"),  # US
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _valid_cn_id(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def redact(text: str) -> str:
    """``text`` with personal data replaced by [EMAIL], [ID], [CARD] or [PHONE]."""
    text = _EMAIL.sub("[EMAIL]", text)
    text = _CN_ID.sub(lambda m: "[ID]" if _valid_cn_id(m.group()) else m.group(), text)

    def card(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group())
        return "[CARD]" if 13 <= len(digits) <= 19 and _luhn(digits) else match.group()

    text = _CARD.sub(card, text)
    for pattern in _PHONES:
        text = pattern.sub("[PHONE]", text)
    return text
