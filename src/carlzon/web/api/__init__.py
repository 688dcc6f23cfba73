"""The versioned JSON API under /api/v1: one router per concept."""

from fastapi import APIRouter

from carlzon.web.api import deliveries, feedback, journeys, me, rules, surveys, tasks

PREFIX = "/api/v1"
ROUTERS: list[APIRouter] = [
    me.router,
    journeys.router,
    feedback.router,
    tasks.router,
    rules.router,
    deliveries.router,
    surveys.router,
]

__all__ = ["PREFIX", "ROUTERS"]
