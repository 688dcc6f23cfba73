"""Reading conversations: JSON Lines (one conversation a line, its turns in a list) or CSV (one row
per utterance, rows of a conversation sharing its id, in order).

A turn's role comes from ``role``, ``sender`` or ``speaker``; customer / user / client are the
customer, agent / helpdesk / staff / service the agent. CSV columns: conversation_id (or
conversation / id), role (or speaker / sender), text, and optionally timestamp, agent, team,
channel. Errors name the file, line (or row) and field.
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
    """Every conversation of a JSON Lines or CSV file (JSON's extra fields kept in ``extra``)."""
    if not path.is_file():
        raise InputError(f"conversations {path} {'is a folder' if path.is_dir() else 'does not exist'}")
    if path.suffix.lower() in (".csv", ".tsv"):
        return _from_rows(path)
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


_COLUMNS = {
    "id": ("conversation_id", "conversation", "id"),
    "role": ("role", "speaker", "sender"),
    "text": ("text", "utterance", "message"),
}


def _from_rows(path: Path) -> list[Conversation]:
    """Conversations from utterance rows, in the order their first row appears."""
    import csv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
        header = [name.strip().lower() for name in reader.fieldnames or []]
        found = {key: next((c for c in names if c in header), None) for key, names in _COLUMNS.items()}
        missing = [names[0] for key, names in _COLUMNS.items() if found[key] is None]
        if missing:
            raise InputError(f"{path}: no column {', '.join(missing)} (have: {', '.join(header) or 'none'})")
        turns: dict[str, list[Turn]] = {}
        details: dict[str, dict[str, Any]] = {}
        for number, raw in enumerate(reader, start=2):
            row = {key.strip().lower(): (value or "").strip() for key, value in raw.items() if key}
            conversation = row[found["id"]]  # type: ignore[index]
            if not conversation:
                raise InputError(f"{path}: row {number}, field {found['id']}: empty conversation id")
            role = role_of(row[found["role"]], f"{path}: row {number}, field {found['role']}")  # type: ignore[index]
            at = row.get("timestamp") or row.get("at")
            turns.setdefault(conversation, []).append(Turn(role, row[found["text"]], _number(at)))  # type: ignore[index]
            known = details.setdefault(conversation, {"agent": None, "team": None, "channel": None})
            for key in known:  # the first row that names it (a customer's row names no agent)
                known[key] = known[key] or row.get(key) or None
    return [
        Conversation(id=key, turns=tuple(value), **details[key])  # type: ignore[arg-type]
        for key, value in turns.items()
    ]


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
