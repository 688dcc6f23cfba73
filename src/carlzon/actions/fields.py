"""Field types shared by the rules file's sections: durations ('30m', '4h', '2d', '1w') and
lists that may be written as a single value."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated

from pydantic import BeforeValidator

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(value: object) -> timedelta:
    """'30m', '4h', '2d', '1w' (or a number of hours) as a timedelta; a clear error otherwise."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(hours=float(value))
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"expected a duration such as 30m, 4h, 2d or 1w, got {value!r}")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


def listed(value: object) -> object:
    """A single value where a list is expected is a list of one (``channel: social``)."""
    return [value] if isinstance(value, str | int | float) and not isinstance(value, bool) else value


Names = Annotated[list[str], BeforeValidator(listed)]
