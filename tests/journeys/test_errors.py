"""A malformed journey YAML is reported with file, line and field."""

from __future__ import annotations

import textwrap

import pytest

from carlzon.errors import JourneyFileError
from carlzon.journeys import parse_journey

GOOD = textwrap.dedent(
    """\
    id: mini
    name: {zh: 迷你, en: Mini}
    industry: catering
    stages:
      - id: eat
        name: {zh: 用餐, en: Eat}
        phase: during
        touchpoints:
          - id: taste
            name: {zh: 口味, en: Taste}
            owner: Kitchen
            moment: second
            keywords:
              zh_hans: [好吃]
              en: [tasty]
    """
)


def _error(text: str) -> JourneyFileError:
    with pytest.raises(JourneyFileError) as caught:
        parse_journey(text, source="mini.yaml")
    return caught.value


def test_good_file_parses_and_derives_traditional_terms() -> None:
    journey = parse_journey(GOOD)
    assert journey.touchpoint("taste").keywords.zh_hant == ["好吃"]


def test_bad_enum_names_line_and_field() -> None:
    error = _error(GOOD.replace("moment: second", "moment: third"))
    assert error.problems[0][:2] == (12, "stages[0].touchpoints[0].moment")
    assert str(error).startswith("mini.yaml:12: field 'stages[0].touchpoints[0].moment':")
    assert "third" in str(error) and "\n" not in str(error)


def test_unknown_field_is_reported_at_its_line() -> None:
    error = _error(GOOD.replace("owner: Kitchen", "owner: Kitchen\n        colour: red"))
    assert error.problems == [(12, "stages[0].touchpoints[0].colour", error.problems[0][2])]
    assert "unknown field" in error.problems[0][2]


def test_missing_field_points_at_its_parent() -> None:
    error = _error(GOOD.replace("        owner: Kitchen\n", ""))
    assert error.problems[0][:2] == (9, "stages[0].touchpoints[0].owner")


def test_yaml_syntax_error_has_a_line() -> None:
    error = _error(GOOD.replace("industry: catering", "industry: [catering"))
    assert error.problems[0][1] == "(syntax)"
    assert error.problems[0][0] is not None


def test_duplicate_touchpoint_ids_are_refused() -> None:
    second = GOOD[GOOD.index("      - id: taste") :]
    error = _error(GOOD + second)
    assert error.problems[0][:2] == (16, "stages[0].touchpoints[1].id")
    assert "'taste' is used twice" in error.problems[0][2]


def test_every_problem_is_listed() -> None:
    error = _error(GOOD.replace("moment: second", "moment: third").replace("phase: during", "phase: soon"))
    fields = [field for _, field, _ in error.problems]
    assert fields == ["stages[0].phase", "stages[0].touchpoints[0].moment"]
