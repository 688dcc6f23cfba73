"""Column mapping and validation: raw row → the values of one feedback record, or a rejection.

Why hand-written validators rather than a pydantic model per row: the import must run at
tens of thousands of rows a second, and every rejection must name the field in the user's
own column name. Each check is a small function; the error says what was found and what
would be accepted.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from carlzon.errors import InputError
from carlzon.ingest.models import Channel
from carlzon.ingest.redact import redact

FIELDS = (
    "id",
    "text",
    "channel",
    "brand",
    "customer_id",
    "store",
    "created_at",
    "nps",
    "csat",
    "ces",
    "rating",
    "reach",
)
ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "external_id",
        "ticket_no",
        "ticket_id",
        "review_id",
        "tweet_id",
        "order_id",
        "编号",
        "工单号",
    ),
    "text": (
        "text",
        "comment",
        "comments",
        "content",
        "review",
        "feedback",
        "message",
        "body",
        "评论",
        "内容",
        "留言",
        "評論",
        "內容",
    ),
    "channel": ("channel", "渠道"),
    "brand": ("brand", "airline", "品牌"),
    "customer_id": ("customer_id", "customer", "user_id", "member_id", "客户", "会员号"),
    "store": ("store", "location", "shop", "branch", "门店", "門店"),
    "created_at": ("created_at", "created", "date", "time", "timestamp", "datetime", "日期", "时间", "時間"),
    "nps": ("nps", "likelihood_to_recommend", "recommend_score", "推荐度"),
    "csat": ("csat", "satisfaction", "满意度"),
    "ces": ("ces", "effort", "customer_effort"),
    "rating": ("rating", "stars", "star", "score", "评分", "星级"),
    "reach": ("reach", "followers", "likes", "views", "粉丝数"),
}
MAX_TEXT_CHARS = 20_000
BAD_BYTES = "contains bytes that are not valid in the file's encoding"
_CHANNEL_ALIASES = {
    "call_center": "call_centre",
    "callcentre": "call_centre",
    "phone": "call_centre",
    "呼叫中心": "call_centre",
    "客服电话": "call_centre",
    "在线客服": "chat",
    "app": "app_review",
    "应用商店": "app_review",
    "ecommerce": "ecommerce_review",
    "电商": "ecommerce_review",
    "weibo": "social",
    "twitter": "social",
    "社交媒体": "social",
    "门店": "store",
    "comment_card": "store",
    "问卷": "survey",
    "邮件": "email",
}
_CHANNELS = {c.value for c in Channel}
_SURROGATE = re.compile(r"[\udc80-\udcff]")
_DATE_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y %H:%M",
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


@dataclass(frozen=True)
class Mapping:
    """Which column holds which field, plus fixed values for channel and brand."""

    columns: dict[str, str] = field(default_factory=dict)
    channel: str | None = None
    brand: str | None = None
    timezone: str = "UTC"

    @classmethod
    def from_options(
        cls,
        pairs: list[str] | None = None,
        *,
        mapping_file: Path | None = None,
        channel: str | None = None,
        brand: str | None = None,
        timezone: str | None = None,
    ) -> Mapping:
        """Build from ``--map field=column`` pairs and/or a mapping YAML; the pairs win."""
        columns: dict[str, str] = {}
        file_options: dict[str, Any] = {}
        if mapping_file is not None:
            file_options = _read_mapping_file(mapping_file)
            columns.update(file_options.get("columns", {}))
        for pair in pairs or []:
            name, sep, column = pair.partition("=")
            if not sep or not column.strip():
                raise InputError(f"--map {pair!r}: write it as FIELD=COLUMN, e.g. --map text=comment")
            columns[name.strip()] = column.strip()
        unknown = sorted(set(columns) - set(FIELDS))
        if unknown:
            raise InputError(f"unknown field(s) {unknown} in the mapping; fields are: {', '.join(FIELDS)}")
        mapping = cls(
            columns=columns,
            channel=channel or file_options.get("channel"),
            brand=brand or file_options.get("brand"),
            timezone=timezone or file_options.get("timezone") or "UTC",
        )
        if mapping.channel is not None:
            mapping_channel = normalise_channel(mapping.channel)
            if mapping_channel is None:
                raise InputError(
                    f"--channel {mapping.channel!r} is not a channel; use one of {', '.join(sorted(_CHANNELS))}"
                )
            mapping = Mapping(mapping.columns, mapping_channel, mapping.brand, mapping.timezone)
        mapping.zone()
        return mapping

    def zone(self) -> tzinfo:
        """The time zone for dates written without one."""
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InputError(f"--timezone {self.timezone!r} is not a time zone name (e.g. Asia/Shanghai, UTC)") from exc

    def resolve(self, header: list[str], source: str) -> dict[str, str]:
        """field → column for this file: explicit mappings, then same-name or alias columns."""
        missing = [column for column in self.columns.values() if column not in header]
        if missing:
            raise InputError(
                f"{source}: column(s) {missing} named in the mapping are not in the file; "
                f"its columns are: {', '.join(header)}"
            )
        resolved = dict(self.columns)
        lowered = {name.lower().strip(): name for name in header}
        for name in FIELDS:
            if name in resolved:
                continue
            for alias in ALIASES[name]:
                if alias in lowered and lowered[alias] not in resolved.values():
                    resolved[name] = lowered[alias]
                    break
        return resolved

    def as_options(self) -> dict[str, Any]:
        """JSON-able form, stored with an import run so a retry maps rows the same way."""
        return {
            "columns": self.columns,
            "channel": self.channel,
            "brand": self.brand,
            "timezone": self.timezone,
        }


def _read_mapping_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise InputError(f"mapping file {path} does not exist") from exc
    except yaml.YAMLError as exc:
        raise InputError(f"mapping file {path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("columns", {}), dict):
        raise InputError(f"mapping file {path}: expected 'columns: {{field: column}}' and optional channel, brand")
    return data


def normalise_channel(value: str) -> str | None:
    """A channel name in Carlzon's vocabulary, or None when it is not one."""
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    key = _CHANNEL_ALIASES.get(key, key)
    return key if key in _CHANNELS else None


class RowValidator:
    """Turns raw rows of one file into insertable feedback values (redacted), or raises RowRejected."""

    def __init__(self, mapping: Mapping, columns: dict[str, str], source: str) -> None:
        self.mapping = mapping
        self.columns = columns
        self.source = source
        self.zone = mapping.zone()
        self._mapped = set(columns.values())
        self._raw: dict[str, Any] = {}

    def check(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Insertable values for ``raw``; raises RowRejected naming the column at fault."""
        self._raw = raw
        for column, value in raw.items():
            if isinstance(value, str) and _SURROGATE.search(value):
                raise RowRejected(column, f"{BAD_BYTES} (fix the file, or force --encoding)")
        text = self._str("text")
        if len(text) > MAX_TEXT_CHARS:
            raise RowRejected(self._name("text"), f"text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
        scores = {
            "nps": self._int("nps", 0, 10),
            "csat": self._int("csat", 1, 5),
            "ces": self._int("ces", 1, 7),
            "rating": self._float("rating", 0, 5),
        }
        if not text.strip() and all(v is None for v in scores.values()):
            raise RowRejected(self._name("text"), "empty text and no score: nothing to learn from this row")
        channel = self._channel()
        created = self._created()
        external = self._str("id").strip()
        if not external:
            basis = "\x1f".join([text, created.isoformat() if created else "", self._str("customer_id"), channel])
            external = "sha1:" + hashlib.sha1(basis.encode("utf-8")).hexdigest()
        meta = {k: _jsonable(v) for k, v in raw.items() if k not in self._mapped and v not in (None, "")}
        return {
            "source": self.source,
            "external_id": external[:200],
            "channel": channel,
            "brand": (self._str("brand").strip() or self.mapping.brand or "own")[:200],
            "customer_id": self._str("customer_id").strip()[:200] or None,
            "location": self._str("store").strip()[:200] or None,
            "created_at": created,
            "text": redact(text),
            **scores,
            "reach": self._int("reach", 0, None),
            "meta": meta,
        }

    # -- one small check per kind of field ---------------------------------------------------

    def _name(self, name: str) -> str:
        return self.columns.get(name, name)

    def _cell(self, name: str) -> Any:
        column = self.columns.get(name)
        return None if column is None else self._raw.get(column)

    def _str(self, name: str) -> str:
        value = self._cell(name)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)

    def _number(self, name: str) -> float | None:
        value = self._cell(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            raise RowRejected(self._name(name), f"{value!r} is not a number")
        if isinstance(value, int | float):
            return float(value)
        cleaned = str(value).strip().replace(",", "")
        try:
            return float(cleaned)
        except ValueError:
            raise RowRejected(self._name(name), f"{str(value)[:40]!r} is not a number") from None

    def _int(self, name: str, low: int, high: int | None) -> int | None:
        number = self._number(name)
        if number is None:
            return None
        if not number.is_integer() or number < low or (high is not None and number > high):
            span = f"a whole number from {low} to {high}" if high is not None else f"a whole number ≥ {low}"
            raise RowRejected(self._name(name), f"{number:g} is not {span}")
        return int(number)

    def _float(self, name: str, low: float, high: float) -> float | None:
        number = self._number(name)
        if number is not None and not low <= number <= high:
            raise RowRejected(self._name(name), f"{number:g} is not between {low:g} and {high:g}")
        return number

    def _channel(self) -> str:
        value = self._str("channel").strip()
        if not value:
            if self.mapping.channel is None:
                raise RowRejected(self._name("channel"), "no channel; give --channel or a channel column")
            return self.mapping.channel
        channel = normalise_channel(value)
        if channel is None:
            raise RowRejected(self._name("channel"), f"{value[:40]!r} is not one of {', '.join(sorted(_CHANNELS))}")
        return channel

    def _created(self) -> datetime | None:
        value = self._cell("created_at")
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        parsed = value if isinstance(value, datetime) else _parse_datetime(str(value).strip())
        if parsed is None:
            raise RowRejected(
                self._name("created_at"),
                f"{str(value)[:40]!r} is not a date (use e.g. 2026-11-23 14:05+08:00)",
            )
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.zone)
        return parsed.astimezone(UTC)


def _parse_datetime(text: str) -> datetime | None:
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


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
