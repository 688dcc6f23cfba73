"""Checking and publishing a survey's text: the one path of `carlzon surveys validate / publish` and
the web app's survey editor.

The touchpoints are checked against the journey the survey names — the one stored in the
database, else the bundled template of that name; publishing needs one of them (a survey whose
touchpoints nobody checked would file answers under touchpoints that do not exist).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

from carlzon.errors import NotFoundError, SurveyFileError
from carlzon.journeys.models import Journey
from carlzon.journeys.templates import TEMPLATE_NAMES, load_template
from carlzon.storage.store import Store
from carlzon.surveys.definitions import parse_survey
from carlzon.surveys.models import PublishedSurvey, Survey


@dataclass(frozen=True)
class CheckedSurvey:
    """A survey read from text, and what its touchpoints were checked against (None: nothing)."""

    survey: Survey
    journey: Journey | None
    checked_against: str  # "the stored journey", "the bundled template" or ""

    def describe(self) -> str:
        if self.journey is None:
            return f"journey '{self.survey.journey}' is neither stored nor a template: touchpoints not checked"
        return f"touchpoints checked against {self.checked_against} '{self.survey.journey}'"


def check_survey_text(text: str, *, source: str, store: Store | None) -> CheckedSurvey:
    """Check ``text`` (YAML or JSON); raises SurveyFileError with every problem's line and field."""
    survey = parse_survey(text, source=source)
    journey, where = None, ""
    if store is not None and store.is_initialised():
        with suppress(NotFoundError):  # not stored: the bundled template of that name, if there is one
            journey, where = store.get_journey(survey.journey), "the stored journey"
    if journey is None and survey.journey in TEMPLATE_NAMES:
        journey, where = load_template(survey.journey), "the bundled template"
    if journey is None:
        return CheckedSurvey(survey, None, "")
    return CheckedSurvey(parse_survey(text, source=source, journey=journey), journey, where)


def publish_survey_text(
    text: str, *, source: str, store: Store, actor: str
) -> tuple[CheckedSurvey, PublishedSurvey, bool]:
    """Check and publish; returns the check, the published survey and whether anything changed."""
    checked = check_survey_text(text, source=source, store=store)
    if checked.journey is None:
        raise SurveyFileError(
            source,
            [(None, "journey", f"'{checked.survey.journey}' is neither stored nor a bundled template; load it first")],
        )
    published, changed = store.publish_survey(checked.survey, actor=actor, source_text=text)
    return checked, published, changed


def survey_text(published: PublishedSurvey) -> str:
    """A published survey as YAML to edit: the text it was published from (comments kept), else its
    definition as stored."""
    import yaml

    if published.source_text:
        return published.source_text
    definition = published.survey.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False, width=100)
