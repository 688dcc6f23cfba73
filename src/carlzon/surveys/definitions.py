"""Reading a survey definition (YAML, or JSON, which YAML reads too) and saying every problem with
its file, line and field: the schema first (types, shapes, unknown fields), then what only the
whole file can say — question ids used once, display logic pointing back at an earlier question
it can test, a text in every language the survey speaks — then, given the journey, its
touchpoint ids. See docs/surveys.md for every field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from carlzon.errors import SurveyFileError
from carlzon.journeys.models import Journey
from carlzon.surveys.models import SCORED, Question, Survey, Text
from carlzon.yamlfile import (
    PathKey,
    Problem,
    field_name,
    line_for,
    read_definition,
    validated_definition,
)

DOCS = "docs/surveys.md"


def load_survey(path: str | Path, journey: Journey | None = None) -> Survey:
    """Read and check a survey file (and, given the journey, its touchpoint ids)."""
    path = Path(path)
    return parse_survey(read_definition(path, SurveyFileError, "survey file"), source=str(path), journey=journey)


def parse_survey(text: str, *, source: str = "<string>", journey: Journey | None = None) -> Survey:
    """Check survey YAML or JSON text; ``source`` names it in the messages."""
    survey, lines = validated_definition(
        text, source, Survey, SurveyFileError, expected="id, name, journey and questions", docs=DOCS
    )
    problems = _whole_file(survey, lines)
    if journey is not None:
        problems += _against_journey(survey, journey, lines)
    if problems:
        raise SurveyFileError(source, problems)
    return survey


def _whole_file(survey: Survey, lines: dict[PathKey, int]) -> list[Problem]:
    problems: list[Problem] = []

    def say(loc: PathKey, message: str) -> None:
        problems.append((line_for(loc, lines), field_name(loc), message))

    if survey.default_language not in survey.languages:
        say(("default_language",), f"{survey.default_language} is not in languages ({', '.join(survey.languages)})")
    earlier: dict[str, Question] = {}
    for index, question in enumerate(survey.questions):
        at = ("questions", index)
        if question.id in earlier:
            say((*at, "id"), f"question id '{question.id}' is used twice; give each question its own id")
        if question.show_if is not None:
            _check_show_if(question, earlier, (*at, "show_if"), say)
        earlier[question.id] = question
    for loc, text in _texts(survey):
        missing = [language for language in survey.languages if not text.written(language)]
        if missing:
            say(loc, f"no {' / '.join(missing)} text, and the survey speaks {', '.join(survey.languages)}")
    return problems


def _check_show_if(question: Question, earlier: dict[str, Question], loc: PathKey, say: Any) -> None:
    condition = question.show_if
    assert condition is not None
    tested = earlier.get(condition.question)
    if tested is None:
        say((*loc, "question"), f"'{condition.question}' is not a question before this one: display logic looks back")
        return
    numeric = condition.at_most is not None or condition.at_least is not None
    if numeric and tested.type not in SCORED:
        say(loc, f"at_most / at_least test a scored answer; '{tested.id}' is a {tested.type} question")
    if condition.any_of:
        if tested.type not in ("single", "multiple"):
            say((*loc, "any_of"), f"any_of tests a choice; '{tested.id}' is a {tested.type} question")
        else:
            unknown = sorted(set(condition.any_of) - {o.id for o in tested.options})
            if unknown:
                say((*loc, "any_of"), f"'{tested.id}' has no option {', '.join(unknown)}")
    bounds = tested.bounds()
    for name, value in (("at_most", condition.at_most), ("at_least", condition.at_least)):
        if value is not None and bounds is not None and not bounds[0] <= value <= bounds[1]:
            say((*loc, name), f"{value:g} is outside '{tested.id}''s scale {bounds[0]}–{bounds[1]}")


def _texts(survey: Survey) -> list[tuple[PathKey, Text]]:
    """Every text the file writes (not the standard wordings it leaves out), with where it is."""
    out: list[tuple[PathKey, Text]] = [(("name",), survey.name)]
    out += [((key,), value) for key in ("intro", "thank_you") if (value := getattr(survey, key)) is not None]
    for index, question in enumerate(survey.questions):
        if question.text is not None:
            out.append((("questions", index, "text"), question.text))
        out += [(("questions", index, "options", k, "text"), o.text) for k, o in enumerate(question.options)]
    return out


def _against_journey(survey: Survey, journey: Journey, lines: dict[PathKey, int]) -> list[Problem]:
    if survey.journey != journey.id:
        return [(line_for(("journey",), lines), "journey", f"the survey names '{survey.journey}', not '{journey.id}'")]
    known = {tp.id for stage in journey.stages for tp in stage.touchpoints}
    return [
        (
            line_for(("questions", index, "touchpoint"), lines),
            field_name(("questions", index, "touchpoint")),
            f"'{question.touchpoint}' is not a touchpoint of journey '{journey.id}'",
        )
        for index, question in enumerate(survey.questions)
        if question.touchpoint is not None and question.touchpoint not in known
    ]
