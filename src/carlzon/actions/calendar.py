"""Business-hours calendars: when a department's SLA clock runs.

A help desk's customers trust an SLA only when "4 hours" means four hours the team is at work:
a complaint at 23:00 on a Friday is due on Monday morning under a Mon–Fri 9–18 calendar, not at
03:00 on Saturday. Windows are local wall-clock times in the calendar's time zone (so a
daylight-saving change moves them with the clock), holidays are whole local dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
# A calendar with working days finds one within a year; ten years of holidays is a mistake.
_SEARCH_DAYS = 3660


def _weekdays(value: object) -> object:
    """'mon-fri' or ['mon', 'tue', …] (case-insensitive) as a list of weekday names."""
    if isinstance(value, str):
        text = value.strip().lower()
        if "-" in text:
            first, _, last = (part.strip() for part in text.partition("-"))
            if first in WEEKDAYS and last in WEEKDAYS and WEEKDAYS.index(first) <= WEEKDAYS.index(last):
                return list(WEEKDAYS[WEEKDAYS.index(first) : WEEKDAYS.index(last) + 1])
            raise ValueError(f"expected a range of weekdays such as mon-fri, got {value!r}")
        return [part.strip() for part in text.split(",")]
    if isinstance(value, list):
        return [str(day).strip().lower() for day in value]
    return value


def _hours(value: object) -> object:
    return [value] if isinstance(value, str) else value


class Calendar(BaseModel):
    """When a department works: weekdays, opening hours (one or more local ranges), holidays,
    time zone. The default (no calendar given) is around the clock in UTC."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    timezone: str = Field(default="UTC", description="IANA time zone, e.g. Asia/Shanghai")
    weekdays: Annotated[list[str], BeforeValidator(_weekdays)] = Field(default_factory=lambda: list(WEEKDAYS))
    hours: Annotated[list[str], BeforeValidator(_hours)] = Field(
        default_factory=lambda: ["00:00-24:00"], description="Local opening hours, e.g. 09:00-18:00"
    )
    holidays: list[date] = Field(default_factory=list, description="Local dates without work")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Asia/Shanghai") from exc
        return value

    @field_validator("weekdays")
    @classmethod
    def _known_weekdays(cls, value: list[str]) -> list[str]:
        unknown = [day for day in value if day not in WEEKDAYS]
        if unknown:
            raise ValueError(f"unknown weekday(s) {unknown}; use {', '.join(WEEKDAYS)} or a range such as mon-fri")
        if not value:
            raise ValueError("a calendar needs at least one working day")
        return value

    @field_validator("hours")
    @classmethod
    def _valid_ranges(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("a calendar needs opening hours, e.g. 09:00-18:00")
        previous_end = -1
        for text in value:
            start, end = _minutes(text)
            if start < previous_end:
                raise ValueError(f"opening hours {text!r} overlap or are out of order")
            previous_end = end
        return value

    def windows(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The working windows (UTC) from the day of ``start`` on, in order; the first may have
        begun before ``start``."""
        zone = ZoneInfo(self.timezone)
        day = start.astimezone(zone).date()
        ranges = [_minutes(text) for text in self.hours]
        working = {WEEKDAYS.index(d) for d in self.weekdays}
        holidays = set(self.holidays)
        for offset in range(_SEARCH_DAYS):
            current = day + timedelta(days=offset)
            if current.weekday() not in working or current in holidays:
                continue
            for begin, end in ranges:
                yield _local(current, begin, zone), _local(current, end, zone)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant ``duration`` of working time after ``start``."""
        start = _utc(start)
        left = duration
        for begin, end in self.windows(start):
            if end <= start:
                continue
            begin = max(begin, start)
            if left <= end - begin:
                return begin + left
            left -= end - begin
        raise ValueError(f"no working time within {_SEARCH_DAYS} days of {start:%Y-%m-%d}: check the holidays")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from ``start`` to ``end`` (zero when end is not after start)."""
        start, end = _utc(start), _utc(end)
        total = timedelta(0)
        if end <= start:
            return total
        for begin, close in self.windows(start):
            if begin >= end:
                break
            overlap = min(close, end) - max(begin, start)
            if overlap > timedelta(0):
                total += overlap
        return total


ALWAYS = Calendar()


def _minutes(text: str) -> tuple[int, int]:
    match = _RANGE.match(text)
    if not match:
        raise ValueError(f"expected opening hours such as 09:00-18:00, got {text!r}")
    start = int(match.group(1)) * 60 + int(match.group(2))
    end = int(match.group(3)) * 60 + int(match.group(4))
    if not (0 <= start < end <= 24 * 60) or int(match.group(2)) > 59 or int(match.group(4)) > 59:
        raise ValueError(f"opening hours {text!r}: the start must be before the end, within 00:00-24:00")
    return start, end


def _local(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time (24:00 is the next day's midnight); built from
    the wall clock, so a daylight-saving day has its true length."""
    wall = datetime.combine(day, time(0)) + timedelta(minutes=minutes)
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
