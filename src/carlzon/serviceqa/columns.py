"""The columns of a transcript file: which field is in which column, found by name (English and
Chinese aliases) or given with ``--map FIELD=COLUMN``, plus fixed values for channel and brand.
What `carlzon qa import` (intake.py) resolves once per header — or, in JSON, per set of keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from carlzon.errors import InputError
from carlzon.ingest.mapping import normalise_channel

FIELDS = (
    "conversation_id",
    "role",
    "text",
    "timestamp",
    "agent",
    "team",
    "channel",
    "store",
    "customer_id",
    "brand",
    "appearance",  # a store audit's finding on the agent's appearance (the A of ABC), kept as written
)
ALIASES: dict[str, tuple[str, ...]] = {
    "conversation_id": (
        "conversation_id",
        "conversation",
        "dialogue_id",
        "session_id",
        "chat_id",
        "call_id",
        "id",
        "会话id",
        "会话编号",
        "工单号",
    ),
    "role": ("role", "speaker", "sender", "角色", "发言人"),
    "text": ("text", "utterance", "message", "content", "内容", "内容文本"),
    "timestamp": ("timestamp", "time", "at", "created_at", "时间"),
    "agent": ("agent", "agent_id", "staff", "staff_id", "工号", "客服工号"),
    "team": ("team", "group", "班组", "组别"),
    "channel": ("channel", "渠道"),
    "store": ("store", "location", "branch", "门店"),
    "customer_id": ("customer_id", "customer", "user_id", "member_id", "会员号"),
    "brand": ("brand", "品牌"),
    "appearance": ("appearance", "store_audit", "grooming", "仪容仪表", "仪表"),
}
REQUIRED = ("conversation_id", "role", "text")


@dataclass(frozen=True)
class ConversationMapping:
    """Which column holds which conversation field, and fixed values for channel and brand."""

    columns: dict[str, str] = field(default_factory=dict)
    channel: str | None = None
    brand: str | None = None
    timezone: str = "UTC"

    @classmethod
    def from_options(
        cls,
        pairs: list[str] | None = None,
        *,
        channel: str | None = None,
        brand: str | None = None,
        timezone: str | None = None,
    ) -> ConversationMapping:
        """From ``--map field=column`` pairs; a clear error for a misspelt field or channel."""
        columns: dict[str, str] = {}
        for pair in pairs or []:
            name, sep, column = pair.partition("=")
            if not sep or not column.strip():
                raise InputError(f"--map {pair!r}: write it as FIELD=COLUMN, e.g. --map conversation_id=call_no")
            columns[name.strip()] = column.strip()
        unknown = sorted(set(columns) - set(FIELDS))
        if unknown:
            raise InputError(f"unknown field(s) {unknown} in --map; fields are: {', '.join(FIELDS)}")
        if channel is not None and normalise_channel(channel) is None:
            raise InputError(f"--channel {channel!r} is not a channel (call_centre, chat, social, email …)")
        mapping = cls(columns, normalise_channel(channel) if channel else None, brand, timezone or "UTC")
        mapping.zone()
        return mapping

    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InputError(f"--timezone {self.timezone!r} is not a time zone name (e.g. Asia/Shanghai)") from exc

    def resolve_partial(self, header: list[str]) -> dict[str, str]:
        """field → column for what this header has, the required fields not checked."""
        resolved = {name: column for name, column in self.columns.items() if column in header}
        lowered = {name.lower().strip(): name for name in header}
        for name in FIELDS:
            for alias in () if name in resolved else ALIASES[name]:
                if alias in lowered and lowered[alias] not in resolved.values():
                    resolved[name] = lowered[alias]
                    break
        return resolved

    def resolve(self, header: list[str], source: str) -> dict[str, str]:
        """field → column for this file: the mapped ones, then by name; the required ones must be found."""
        missing = [column for column in self.columns.values() if column not in header]
        if missing:
            raise InputError(
                f"{source}: column(s) {missing} named in --map are not in the file; it has: {', '.join(header)}"
            )
        resolved = self.resolve_partial(header)
        absent = [name for name in REQUIRED if name not in resolved]
        if absent:
            raise InputError(
                f"{source}: no column for {', '.join(absent)} (it has: {', '.join(header)}); "
                f"name it with --map, e.g. --map {absent[0]}=COLUMN"
            )
        return resolved
