"""GET /api/v1/me: who the credentials act as, and what they may do."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from carlzon.web.deps import PrincipalDep
from carlzon.web.schemas import ERRORS

router = APIRouter(tags=["accounts"], responses=ERRORS)


@router.get("/me", summary="Who the credentials act as")
def me(principal: PrincipalDep) -> dict[str, Any]:
    return {
        "user": principal.user.to_dict(),
        "via": principal.via,
        "scopes": sorted(s.value for s in principal.scopes),
        "department": principal.department,
    }
