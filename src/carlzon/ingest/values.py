"""Cell values as Carlzon reads them: numbers, dates, text a database can store, and the rejection
that names the column at fault. Plain functions, called once per cell of every imported row."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

BAD_BYTES = "contains bytes that are not valid in the file's encoding"
NUL = "contains a NUL byte"
SURROGATE = "contains an unpaired surrogate"
UNSTORABLE = (BAD_BYTES, NUL, SURROGATE)  # reasons whose stored value only shows what was there (\xNN)
_BAD_BYTE = re.compile("[\udc80-\udcff]")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DATE_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M",
    "%Y年%m月%d日",
    "%Y.%m.%d",
)


class RowRejected(Exception):
    """A row failed validation at ``field`` (the user's column name) for ``reason``."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def unstorable(value: str) -> str:
    """Why a value cannot be stored as text, and what to do."""
    if _BAD_BYTE.search(value):
        return f"{BAD_BYTES} (fix the file, or force --encoding)"
    if "\x00" in value:
        return f"{NUL} (\\x00), which no database stores as text; remove it from the file"
    return f"{SURROGATE} (\\ud800-\\udfff, e.g. from a JSON \\u escape), which is not text; fix it"


def as_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def to_number(column: str, value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RowRejected(column, f"{value!r} is not a number")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if not text:
        return None
    if "," in text:
        if not _THOUSANDS.fullmatch(text):  # "1,0" is a decimal comma or a typo, never ten
            raise RowRejected(column, f"{text[:40]!r} is not a number (write decimals with a point: 1.0)")
        text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        raise RowRejected(column, f"{text[:40]!r} is not a number") from None


def to_int(column: str, value: Any, low: int, high: int | None) -> int | None:
    number = to_number(column, value)
    if number is None:
        return None
    if not number.is_integer() or number < low or (high is not None and number > high):
        span = f"a whole number from {low} to {high}" if high is not None else f"a whole number ≥ {low}"
        raise RowRejected(column, f"{number:g} is not {span}")
    return int(number)


def to_float(column: str, value: Any, low: float, high: float) -> float | None:
    number = to_number(column, value)
    if number is not None and not low <= number <= high:
        raise RowRejected(column, f"{number:g} is not between {low:g} and {high:g}")
    return number


def parse_datetime(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
