"""Server-rendered pages (Jinja2, autoescaped; Plotly charts from the installed package)."""

from fastapi import APIRouter

from carlzon.web.pages import auth, feedback, imports, journeys, overview, rules, survey_answer, surveys, tasks

ROUTERS: list[APIRouter] = [
    auth.router,
    overview.router,
    journeys.router,
    tasks.router,
    imports.router,
    feedback.router,
    rules.router,
    survey_answer.router,
    surveys.router,
]

__all__ = ["ROUTERS"]
