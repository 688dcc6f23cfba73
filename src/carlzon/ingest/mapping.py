"""Column mapping and validation: raw row → the values of one feedback record, or a rejection.

Why hand-written validators rather than a pydantic model per row: the import must run at
tens of thousands of rows a second, and every rejection must name the field in the user's
own column name. Each check is a small function; the error says what was found and what
would be accepted.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from carlzon.errors import InputError
from carlzon.ingest.fields import FIELDS
from carlzon.ingest.models import Channel
from carlzon.ingest.values import (
    RowRejected,
    as_str,
    jsonable,
    parse_datetime,
    to_float,
    to_int,
    unstorable,
)
from carlzon.privacy.policy import Privacy
from carlzon.privacy.redact import redact
from carlzon.yamlfile import read_yaml

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
FIRST_YEAR, LAST_YEAR = 1970, 2200  # the dates feedback can carry
MAX_REACH = 2_147_483_647  # the reach column is a 32-bit integer in PostgreSQL; no post is seen more often
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
_SURROGATE = re.compile("[\ud800-\udfff\x00]")  # undecodable bytes, unpaired surrogates, NUL
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/\d{4}(?:\s.*)?")


@dataclass(frozen=True)
class Mapping:
    """Which column holds which field, plus fixed values for channel and brand."""

    columns: dict[str, str] = field(default_factory=dict)
    channel: str | None = None
    brand: str | None = None
    timezone: str = "UTC"
    dayfirst: bool | None = None  # 01/02/2026: True reads 1 February, False 2 January, None refuses to guess

    @classmethod
    def from_options(
        cls,
        pairs: list[str] | None = None,
        *,
        mapping_file: Path | None = None,
        channel: str | None = None,
        brand: str | None = None,
        timezone: str | None = None,
        dayfirst: bool | None = None,
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
            dayfirst=dayfirst if dayfirst is not None else file_options.get("dayfirst"),
        )
        if mapping.channel is not None:
            mapping_channel = normalise_channel(mapping.channel)
            if mapping_channel is None:
                raise InputError(
                    f"--channel {mapping.channel!r} is not a channel; use one of {', '.join(sorted(_CHANNELS))}"
                )
            mapping = replace(mapping, channel=mapping_channel)
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
            "dayfirst": self.dayfirst,
        }


def _read_mapping_file(path: Path) -> dict[str, Any]:
    data = read_yaml(path, "mapping file") or {}
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

    def __init__(self, mapping: Mapping, columns: dict[str, str], source: str, privacy: Privacy) -> None:
        self.mapping = mapping
        self.privacy = privacy
        self.columns = columns
        self.source = source
        self.zone = mapping.zone()
        self._mapped = set(columns.values())
        self._c: dict[str, str | None] = {name: columns.get(name) for name in FIELDS}

    def check(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Insertable values for ``raw``; raises RowRejected naming the column at fault.

        Written for speed (this runs once per row): column lookups are precomputed and the
        per-field checks are plain functions.
        """
        if _SURROGATE.search("".join([v for v in raw.values() if isinstance(v, str)])):
            column, value = next((k, v) for k, v in raw.items() if isinstance(v, str) and _SURROGATE.search(v))
            raise RowRejected(column, unstorable(value))
        c = self._c
        get = raw.get
        text = as_str(get(c["text"])) if c["text"] else ""
        if len(text) > MAX_TEXT_CHARS:
            raise RowRejected(c["text"], f"text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
        nps = to_int(c["nps"], get(c["nps"]), 0, 10) if c["nps"] else None
        csat = to_int(c["csat"], get(c["csat"]), 1, 5) if c["csat"] else None
        ces = to_int(c["ces"], get(c["ces"]), 1, 7) if c["ces"] else None
        rating = to_float(c["rating"], get(c["rating"]), 0, 5) if c["rating"] else None
        if not text.strip() and nps is None and csat is None and ces is None and rating is None:
            raise RowRejected(c["text"] or "text", "empty text and no score: nothing to learn from this row")
        channel = self._channel(get(c["channel"]) if c["channel"] else None)
        created = self._created(get(c["created_at"])) if c["created_at"] else None
        customer = self.privacy.customer(as_str(get(c["customer_id"])).strip()[:200] if c["customer_id"] else "") or ""
        external = as_str(get(c["id"])).strip() if c["id"] else ""
        text = redact(text)  # the stored form: a retried quarantined row (already redacted) hashes alike
        if not external:
            basis = "\x1f".join([text, created.isoformat() if created else "", customer, channel])
            external = "sha1:" + hashlib.sha1(basis.encode("utf-8")).hexdigest()
        brand = as_str(get(c["brand"])).strip() if c["brand"] else ""
        mapped = self._mapped
        meta = self.privacy.meta(
            {k: jsonable(v) for k, v in raw.items() if k not in mapped and v is not None and v != ""}
        )
        return {
            "source": self.source,
            "external_id": external[:200],
            "channel": channel,
            "brand": (brand or self.mapping.brand or "own")[:200],
            "customer_id": customer or None,
            "location": (as_str(get(c["store"])).strip()[:200] or None) if c["store"] else None,
            "created_at": created,
            "text": text,
            "nps": nps,
            "csat": csat,
            "ces": ces,
            "rating": rating,
            "reach": to_int(c["reach"], get(c["reach"]), 0, MAX_REACH) if c["reach"] else None,
            "meta": meta,
        }

    def _channel(self, value: Any) -> str:
        text = as_str(value).strip()
        if not text:
            if self.mapping.channel is None:
                raise RowRejected(self._c["channel"] or "channel", "no channel; give --channel or a channel column")
            return self.mapping.channel
        channel = normalise_channel(text)
        if channel is None:
            raise RowRejected(
                self._c["channel"] or "channel", f"{text[:40]!r} is not one of {', '.join(sorted(_CHANNELS))}"
            )
        return channel

    def _parse(self, text: str) -> datetime | None:
        """A date as written; 01/02/2026 only when the mapping says which comes first."""
        slashed = _SLASHED.fullmatch(text)
        if slashed is None:
            return parse_datetime(text)
        first, second = int(slashed.group(1)), int(slashed.group(2))
        dayfirst = self.mapping.dayfirst
        if first > 12 or second > 12 or first == second:
            dayfirst = first > 12 or (first == second and dayfirst is not False)
        elif dayfirst is None:
            raise RowRejected(
                self._c["created_at"] or "created_at",
                f"{text[:40]!r} could be day/month or month/day; import again with --dayfirst or --monthfirst",
            )
        order = "%d/%m/%Y" if dayfirst else "%m/%d/%Y"
        for pattern in (f"{order} %H:%M:%S", f"{order} %H:%M", order):
            try:
                return datetime.strptime(text, pattern)
            except ValueError:
                continue
        return None

    def _created(self, value: Any) -> datetime | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        parsed = value if isinstance(value, datetime) else self._parse(str(value).strip())
        if parsed is None:
            raise RowRejected(
                self._c["created_at"] or "created_at",
                f"{str(value)[:40]!r} is not a date (use e.g. 2026-11-23 14:05+08:00)",
            )
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=self.zone)
        try:
            moment = parsed.astimezone(UTC)
        except (OverflowError, ValueError):
            raise RowRejected(
                self._c["created_at"] or "created_at", f"{str(value)[:40]!r} is out of the range of dates"
            ) from None
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:  # year 1 is no customer's visit, and breaks readers
            raise RowRejected(
                self._c["created_at"] or "created_at",
                f"{str(value)[:40]!r} is not a date between {FIRST_YEAR} and {LAST_YEAR}",
            )
        return moment
