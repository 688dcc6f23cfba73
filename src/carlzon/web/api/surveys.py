"""GET /api/v1/surveys and /api/v1/surveys/{id}/results: the published surveys and their results
(the same result type as `carlzon surveys results --json`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from carlzon.web.deps import Reader, StoreDep
from carlzon.web.schemas import ERRORS

router = APIRouter(tags=["surveys"], responses=ERRORS)


@router.get("/surveys", summary="The published surveys: id, name, status, version")
def list_surveys(store: StoreDep, principal: Reader) -> list[dict[str, Any]]:
    return [
        {
            "id": p.survey.id,
            "name": p.survey.name.in_(p.survey.default_language),
            "status": p.status,
            "version": p.version,
            "journey": p.survey.journey,
            "questions": len(p.survey.questions),
            "languages": p.survey.languages,
            "published_at": p.published_at.isoformat(),
        }
        for p in store.list_surveys()
    ]


@router.get("/surveys/{survey_id}/results", summary="NPS / CSAT / CES with intervals, RATER, choices, themes")
def survey_results(
    store: StoreDep,
    principal: Reader,
    survey_id: Annotated[str, Path(max_length=100)],
    since: Annotated[str | None, Query(max_length=40, description="A span back from now (30d) or a date")] = None,
    place: Annotated[str | None, Query(alias="store", max_length=200)] = None,
) -> dict[str, Any]:
    from carlzon.actions.service import parse_since
    from carlzon.surveys.results import survey_results as results

    return results(store, survey_id, since=parse_since(since), location=place or None).to_dict()
