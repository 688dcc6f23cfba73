"""The surveys and their results, for signed-in users: the same SurveyResults as `carlzon surveys
results` and GET /api/v1/surveys/{id}/results."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from carlzon.web.deps import FeedbackWriter, FormSession, Reader, StoreDep, YamlForm
from carlzon.web.pages.render import N_, render, request_language

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
    from carlzon.config import Settings
    from carlzon.surveys.links import survey_url

    base = request.app.state.settings.public_url
    if base == Settings.model_fields["public_url"].default:  # not set: where this page was reached
        base = str(request.base_url).rstrip("/")
    rows = [(p, survey_url(base, p.survey.id)) for p in store.list_surveys()]
    return render(request, "surveys.html.j2", {"surveys": rows})


@router.get("/surveys/new")
def new_survey_page(request: Request, principal: FeedbackWriter) -> Response:
    """The editor, with the bundled example to start from."""
    from importlib import resources

    example = resources.files("carlzon.surveys") / "examples" / "catering-visit.yaml"
    return render(request, "survey_edit.html.j2", {"text": example.read_text(encoding="utf-8"), "outcome": None})


@router.get("/surveys/{survey_id}/edit")
def edit_survey_page(
    request: Request, store: StoreDep, principal: FeedbackWriter, survey_id: Annotated[str, Path(max_length=100)]
) -> Response:
    from carlzon.surveys.publishing import survey_text

    text = survey_text(store.get_survey(survey_id))
    return render(request, "survey_edit.html.j2", {"text": text, "outcome": None})


@router.post("/surveys/edit")
def save_survey(
    request: Request,
    store: StoreDep,
    principal: FeedbackWriter,
    _form: FormSession,
    yaml: YamlForm = "",
    action: Annotated[str, Form()] = "validate",
) -> Response:
    """Check the definition (every problem with its line and field), or publish it: a changed
    definition is the survey's next version, as `carlzon surveys publish` makes it."""
    from carlzon.errors import CarlzonError, SurveyFileError
    from carlzon.surveys.publishing import check_survey_text, publish_survey_text

    outcome: dict[str, Any]
    try:
        if action == "publish":
            _checked, published, changed = publish_survey_text(
                yaml, source="survey", store=store, actor=principal.actor
            )
            target = f"/surveys/{published.survey.id}?published={published.version}&changed={int(changed)}"
            return RedirectResponse(target, status_code=303)
        checked = check_survey_text(yaml, source="survey", store=store)
        outcome = {"check": checked, "described": checked.describe()}
    except SurveyFileError as exc:
        outcome = {"problems": exc.problems}
    except CarlzonError as exc:
        outcome = {"error": str(exc)}
    return render(request, "survey_edit.html.j2", {"text": yaml, "outcome": outcome}, status=200)


@router.get("/surveys/{survey_id}")
def survey_results_page(
    request: Request,
    store: StoreDep,
    principal: Reader,
    survey_id: Annotated[str, Path(max_length=100)],
    since: Annotated[str | None, Query(max_length=40)] = None,
    place: Annotated[str | None, Query(alias="store", max_length=200)] = None,
    published_version: Annotated[int | None, Query(alias="published", ge=1)] = None,
) -> Response:
    from carlzon.actions.service import parse_since
    from carlzon.i18n import speaking
    from carlzon.reports.figures import survey_by_store
    from carlzon.surveys.results import survey_results

    published = store.get_survey(survey_id)
    found = survey_results(store, survey_id, since=parse_since(since), location=place or None)
    with speaking(request_language(request)):
        chart = survey_by_store(found).to_json() if len(found.by_store) > 1 else None
    return render(
        request,
        "survey_results.html.j2",
        {
            "published": published,
            "results": found.to_dict(),
            "since": since or "",
            "place": place or "",
            "just_published": published_version,
            "chart": chart,
        },
    )
