"""The surveys and their results, for signed-in users: the same SurveyResults as `carlzon surveys
results` and GET /api/v1/surveys/{id}/results."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from carlzon.web.deps import Reader, StoreDep
from carlzon.web.pages.render import N_, render

router = APIRouter()

# Words from the data the results page shows, marked for the catalogue.
WORDS = (
    N_("closed"),
    N_("tangibles"),
    N_("reliability"),
    N_("responsiveness"),
    N_("assurance"),
    N_("empathy"),
)


@router.get("/surveys")
def surveys_page(request: Request, store: StoreDep, principal: Reader) -> Response:
    from carlzon.surveys.links import survey_url

    base = request.app.state.settings.public_url
    rows = [(p, survey_url(base, p.survey.id)) for p in store.list_surveys()]
    return render(request, "surveys.html.j2", {"surveys": rows})


@router.get("/surveys/{survey_id}")
def survey_results_page(
    request: Request,
    store: StoreDep,
    principal: Reader,
    survey_id: Annotated[str, Path(max_length=100)],
    since: Annotated[str | None, Query(max_length=40)] = None,
    place: Annotated[str | None, Query(alias="store", max_length=200)] = None,
) -> Response:
    from carlzon.actions.service import parse_since
    from carlzon.surveys.results import survey_results

    published = store.get_survey(survey_id)
    found = survey_results(store, survey_id, since=parse_since(since), location=place or None)
    return render(
        request,
        "survey_results.html.j2",
        {"published": published, "results": found.to_dict(), "since": since or "", "place": place or ""},
    )
