"""Reading conversations from JSON Lines: one conversation a line, its turns in a list.

A turn's role comes from ``role``, ``sender`` or ``speaker``; customer / user / client are the
customer, agent / helpdesk / staff / service the agent. Errors name the file, line and field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from carlzon.errors import InputError
from carlzon.serviceqa.models import Conversation, Role, Turn

CUSTOMER = frozenset(("customer", "user", "client", "guest", "passenger", "顾客", "客户", "用户"))
AGENT = frozenset(("agent", "helpdesk", "staff", "service", "support", "assistant", "客服", "坐席"))


def role_of(value: Any, where: str) -> Role:
    name = str(value).strip().lower()
    if name in CUSTOMER:
        return "customer"
    if name in AGENT:
        return "agent"
    raise InputError(
        f"{where}: role {value!r} is neither a customer (customer, user …) nor an agent (agent, helpdesk …)"
    )


def load_conversations(path: Path) -> list[Conversation]:
    """Every conversation of a JSON Lines file (extra fields kept in ``extra``)."""
    if not path.is_file():
        raise InputError(f"conversations {path} {'is a folder' if path.is_dir() else 'does not exist'}")
    out = []
    with path.open(encoding="utf-8-sig") as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                out.append(_conversation(line, f"{path}: line {number}"))
    return out


def _conversation(line: str, where: str) -> Conversation:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not JSON ({exc.msg})") from None
    if not isinstance(record, dict) or not isinstance(record.get("turns"), list):
        raise InputError(f"{where}: field turns: a conversation needs a list of turns")
    turns = []
    for index, item in enumerate(record["turns"]):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise InputError(f"{where}: field turns[{index}].text: each turn needs its text")
        speaker = item.get("role", item.get("sender", item.get("speaker")))
        at = item.get("at", item.get("timestamp"))
        turns.append(Turn(role_of(speaker, f"{where}: field turns[{index}].role"), item["text"], _seconds(at)))
    extra = {key: value for key, value in record.items() if key not in ("id", "turns", "agent", "team", "channel")}
    extra["turns"] = record["turns"]  # kept for evaluation (nugget labels of a test set)
    return Conversation(
        id=str(record.get("id", where)),
        turns=tuple(turns),
        agent=record.get("agent"),
        team=record.get("team"),
        channel=record.get("channel"),
        extra=extra,
    )


def _seconds(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None
