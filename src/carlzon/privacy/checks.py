"""Checks that tell personal numbers from other digits: ID check digits, birth dates and provinces,
the Luhn sum of cards, the form of IPv6 addresses. Pure functions of the matched text."""

from __future__ import annotations

import ipaddress
import re
from datetime import date

_PROVINCES = {
    *range(11, 16),
    *range(21, 24),
    *range(31, 38),
    *range(41, 47),
    *range(50, 55),
    *range(61, 66),
    71,
    81,
    82,
}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _valid_birth(text: str) -> bool:
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return 1900 <= born.year <= date.today().year


def valid_cn_id(number: str) -> bool:
    """An 18-digit mainland ID: a province, a real birth date and the ISO 7064 check digit."""
    if int(number[:2]) not in _PROVINCES or not _valid_birth(number[6:14]):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def valid_old_id(number: str) -> bool:
    """A 15-digit ID of before 1999: a province and a real 19YYMMDD birth date."""
    return int(number[:2]) in _PROVINCES and _valid_birth("19" + number[6:12])


def luhn(digits: str) -> bool:
    """The Luhn checksum of bank cards."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def digits(text: str) -> str:
    """The digits of ``text``, separators dropped."""
    return re.sub(r"\D", "", text)


def card(number: str) -> bool:
    """13 to 19 digits whose Luhn sum is right: a bank card."""
    found = digits(number)
    return 13 <= len(found) <= 19 and luhn(found)


def ipv6(candidate: str) -> bool:
    if candidate.count(":") < 2 or len(re.findall(r"[0-9A-Fa-f]", candidate)) < 4:
        return False
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    return True
