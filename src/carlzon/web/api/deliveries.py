"""Deliveries: the notices of the outbox with every attempt (admins: they name the channels)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query

from carlzon.web.deps import Admin, StoreDep
from carlzon.web.schemas import ERRORS

router = APIRouter(tags=["deliveries"], responses=ERRORS)


@router.get("/deliveries", summary="Notices newest first, each with its delivery attempts")
def list_deliveries(
    store: StoreDep,
    _: Admin,
    status: Literal["pending", "delivered", "dead"] | None = None,
    channel: str | None = Query(None, max_length=100),
    task: int | None = Query(None, ge=1, le=2**62),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    notices = store.list_notices(status=status, channel=channel, task_id=task, limit=limit)
    attempts = store.delivery_attempts([n.id for n in notices])
    data = [n.to_dict() | {"attempts_log": [a.to_dict() for a in attempts.get(n.id, [])]} for n in notices]
    return {"data": data, "count": len(data), "totals": store.notice_counts()}
