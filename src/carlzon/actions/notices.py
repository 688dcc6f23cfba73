"""What a notice says: the JSON payload every channel gets (Standard Webhooks' envelope:
``type``, ``timestamp``, ``data``), and its short text for people (robots, e-mail) in zh or en."""

from __future__ import annotations

from datetime import datetime

from carlzon.actions.models import Task

TEXT_LIMIT = 300


def task_payload(
    event_type: str, task: Task, at: datetime, *, text: str | None = None, extra: dict[str, object] | None = None
) -> dict[str, object]:
    """The envelope of a task notice; ``text`` is a (redacted, as stored) feedback text behind it."""
    data: dict[str, object] = {
        "task_id": task.id,
        "title": task.title,
        "department": task.department,
        "priority": task.priority.value,
        "severity": task.severity,
        "status": task.status.value,
        "journey_id": task.journey_id,
        "touchpoint_id": task.touchpoint_id,
        "location": task.location,
        "assignee": task.assignee,
        "first_response_due": task.first_response_due.isoformat() if task.first_response_due else None,
        "due_at": task.due_at.isoformat() if task.due_at else None,
        "recovery": task.recovery,
        "feedback_ids": list(task.feedback_ids),
    }
    if text:
        data["text"] = text[:TEXT_LIMIT]
    if extra:
        data |= extra
    return {"type": event_type, "timestamp": at.isoformat(), "data": data}


_WORDS = {
    "zh": {
        "task.created": "新任务",
        "task.escalated": "任务升级",
        "alert.fired": "预警",
        "due": "处理期限",
        "response": "首次响应期限",
        "to": "升级至",
        "digest": "条通知汇总",
        "store": "门店",
    },
    "en": {
        "task.created": "New task",
        "task.escalated": "Task escalated",
        "alert.fired": "Alert",
        "due": "Due",
        "response": "First response due",
        "to": "Escalated to",
        "digest": "notices in one digest",
        "store": "Store",
    },
}


def notice_text(payload: dict[str, object], language: str = "zh") -> tuple[str, str]:
    """(title, body) of a notice for people: the kind, priority, department and title, the
    due times, and the feedback text."""
    words = _WORDS.get(language, _WORDS["en"])
    kind = str(payload.get("type", ""))
    data = payload.get("data")
    data = data if isinstance(data, dict) else {}
    head = words.get(kind, kind)
    number = f" #{data['task_id']}" if data.get("task_id") is not None else ""
    title = f"[{data.get('priority', '')}] {head}{number}: {data.get('title', '')}".strip()
    lines = [title, f"{data.get('department', '')}"]
    if data.get("location"):
        lines.append(f"{words['store']}: {data['location']}")
    if kind == "task.escalated" and data.get("escalated_to"):
        lines.append(f"{words['to']}: {data['escalated_to']} ({data.get('breach', '')})")
    if data.get("first_response_due"):
        lines.append(f"{words['response']}: {data['first_response_due']}")
    if data.get("due_at"):
        lines.append(f"{words['due']}: {data['due_at']}")
    if data.get("reason"):
        lines.append(str(data["reason"]))
    if data.get("text"):
        lines.append(f"> {data['text']}")
    return title, "\n".join(line for line in lines if line)


def digest_text(payloads: list[dict[str, object]], language: str = "zh") -> tuple[str, str]:
    """One message for a burst a robot's rate limit would refuse: a line per notice."""
    words = _WORDS.get(language, _WORDS["en"])
    title = f"{len(payloads)} {words['digest']}"
    lines = [title] + [f"- {notice_text(p, language)[0]}" for p in payloads]
    return title, "\n".join(lines)
