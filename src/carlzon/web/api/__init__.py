"""The versioned JSON API under /api/v1: one router per concept."""

from fastapi import APIRouter

from carlzon.web.api import feedback, journeys, me, tasks

router = APIRouter(prefix="/api/v1")
router.include_router(me.router)
router.include_router(journeys.router)
router.include_router(feedback.router)
router.include_router(tasks.router)

__all__ = ["router"]
