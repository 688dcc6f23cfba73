"""Server-rendered pages (Jinja2, autoescaped; Plotly charts from the installed package)."""

from fastapi import APIRouter

from carlzon.web.pages import auth, journeys, overview, tasks

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(overview.router)
router.include_router(journeys.router)
router.include_router(tasks.router)

__all__ = ["router"]
