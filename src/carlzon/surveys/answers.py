"""What a respondent answered: a page's form read into typed answers, the display logic applied,
and each answer checked against its question.

Pure functions, no I/O, so the public page, the partial saves, the bench and the tests read
answers one way. Form fields are named after the questions: ``q.<id>`` (``q.<id>`` repeated for a
multiple choice) and ``q.<id>.p<n>`` / ``q.<id>.e<n>`` for the RATER battery's perception and
expectation of item n. Why the display logic is applied here and not only in the page's script:
a page without JavaScript shows every question, and an answer to a question its respondent
should not have been asked ("what went wrong?" from a promoter) must not count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from carlzon.privacy.redact import redact
from carlzon.surveys.models import Question, Survey
from carlzon.surveys.rater import ITEMS

MAX_TEXT = 5_000  # characters of one open answer
Answer = int | float | str | list[str] | dict[str, int]


def N_(message: str) -> str:
    """Marks a message for the catalogue; the page translates it when it shows it."""
    return message


NEEDS_ANSWER = N_("This question needs an answer.")
NOT_ON_SCALE = N_("Choose a number on the scale.")
NOT_AN_OPTION = N_("Choose one of the options.")
TOO_LONG = N_("This answer is too long; keep it under 5,000 characters.")


@dataclass(frozen=True)
class CheckedAnswers:
    """Typed answers of the questions the respondent was shown, and a message per question that
    is not answered as it must be (empty when the answers can be sent)."""

    answers: dict[str, Answer]
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_form(survey: Survey, form: Mapping[str, Iterable[str]]) -> dict[str, Any]:
    """The raw values a page sent, per question (strings, a list for multiple choice, a dict of
    strings for the RATER battery); questions left empty are absent."""
    raw: dict[str, Any] = {}
    for question in survey.questions:
        key = f"q.{question.id}"
        if question.type == "rater":
            items = {
                f"{side}{n}": value
                for n in range(1, len(ITEMS) + 1)
                for side in ("p", "e")
                if (value := _first(form.get(f"{key}.{side}{n}")))
            }
            if items:
                raw[question.id] = items
        elif question.type == "multiple":
            chosen = [str(v) for v in form.get(key, ()) if str(v).strip()]
            if chosen:
                raw[question.id] = chosen
        elif value := _first(form.get(key)):
            raw[question.id] = value
    return raw


def _first(values: Iterable[str] | None) -> str:
    if values is None:
        return ""
    if isinstance(values, str):
        return values.strip()
    return next((str(v).strip() for v in values if str(v).strip()), "")


def is_shown(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether the display logic asks ``question`` given the answers so far (a condition on an
    unanswered question hides it: "what went wrong?" waits for the NPS)."""
    condition = question.show_if
    if condition is None:
        return True
    given = answers.get(condition.question)
    if given is None:
        return False
    if condition.any_of:
        chosen = given if isinstance(given, list) else [given]
        return any(option in condition.any_of for option in chosen)
    try:
        number = float(given)
    except (TypeError, ValueError):
        return False
    if condition.at_most is not None and number > condition.at_most:
        return False
    return not (condition.at_least is not None and number < condition.at_least)


def check_answers(survey: Survey, raw: Mapping[str, Any], *, complete: bool) -> CheckedAnswers:
    """Type and check ``raw`` (read_form's shape, or stored answers) question by question, in
    order, so display logic reads the typed answers before it. ``complete``: the respondent is
    sending, so a required question they were shown must be answered. Open answers are redacted
    here: nothing a respondent typed is kept unredacted, not even in a partial answer."""
    answers: dict[str, Answer] = {}
    problems: dict[str, str] = {}
    for question in survey.questions:
        if not is_shown(question, answers):
            continue
        value = raw.get(question.id)
        if value in (None, "", [], {}):
            if complete and question.required:
                problems[question.id] = NEEDS_ANSWER
            continue
        typed, problem = _typed(question, value)
        if problem:
            problems[question.id] = problem
        elif typed is not None:
            answers[question.id] = typed
    return CheckedAnswers(answers, problems)


def _typed(question: Question, value: Any) -> tuple[Answer | None, str | None]:
    if question.type == "text":
        text = str(value).strip()
        return (None, TOO_LONG) if len(text) > MAX_TEXT else (redact(text), None)
    if question.type in ("single", "multiple"):
        ids = {option.id for option in question.options}
        chosen = [str(v) for v in (value if isinstance(value, list) else [value])]
        if not chosen or any(c not in ids for c in chosen):
            return None, NOT_AN_OPTION
        return (chosen[0] if question.type == "single" else list(dict.fromkeys(chosen))), None
    if question.type == "rater":
        low, high = question.bounds() or (1, 7)
        items: dict[str, int] = {}
        sides = ("p", "e") if question.rater == "expectation_perception" else ("p",)
        for key, item in dict(value).items():
            if key[:1] not in sides or not key[1:].isdigit() or not 1 <= int(key[1:]) <= len(ITEMS):
                continue
            number = _on_scale(item, low, high)
            if number is None:
                return None, NOT_ON_SCALE
            items[key] = number
        return (items or None), None
    bounds = question.bounds()
    number = _on_scale(value, *bounds) if bounds else None
    return (None, NOT_ON_SCALE) if number is None else (number, None)


def _on_scale(value: Any, low: int, high: int) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not number.is_integer() or not low <= number <= high:
        return None
    return int(number)
