"""Survey definitions: the example is valid, and each kind of mistake is said with its file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from carlzon.errors import SurveyFileError
from carlzon.journeys import load_template
from carlzon.surveys.definitions import load_survey, parse_survey
from carlzon.surveys.rater import DIMENSIONS, items
from tests.cli.test_cli import carlzon

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "carlzon" / "surveys" / "examples" / "catering-visit.yaml"
HEAD = "id: s\nname: {zh-Hans: 调查, en: Survey}\njourney: catering\nquestions:\n"


def problems(body: str, journey: bool = False) -> list[str]:
    with pytest.raises(SurveyFileError) as caught:
        parse_survey(HEAD + body, source="s.yaml", journey=load_template("catering") if journey else None)
    return caught.value.lines()


def test_the_example_is_valid_against_its_journey() -> None:
    survey = load_survey(EXAMPLE, load_template("catering"))
    assert [q.type for q in survey.questions] == ["nps", "csat", "text", "single", "rater", "ces"]
    nps = survey.questions[0]
    assert nps.bounds() == (0, 10) and "recommend" in nps.wording().in_("en")
    assert nps.wording().in_("zh-Hant") == "您向朋友或同事推薦我們的可能性有多大？"  # derived, Taiwan phrasing
    assert survey.questions[2].show_if is not None and survey.questions[2].show_if.at_most == 6
    assert survey.contact_every is not None and survey.contact_every.days == 30


def test_a_bad_question_type_names_file_line_and_field() -> None:
    [line] = problems("  - id: q1\n    type: stars\n")
    assert line.startswith("s.yaml:6: questions[0].type: Input should be 'nps'")


def test_a_missing_translation_names_its_line() -> None:
    [line] = problems("  - id: q1\n    type: text\n    text: {zh-Hans: 哪里没做好？}\n")
    assert line == "s.yaml:7: questions[0].text: no en text, and the survey speaks zh-Hans, en"


def test_traditional_chinese_may_come_from_simplified() -> None:
    survey = parse_survey(
        HEAD.replace("questions:", "languages: [zh-Hans, zh-Hant]\nquestions:")
        + "  - id: q1\n    type: text\n    text: {zh-Hans: 哪里没做好？}\n"
    )
    assert survey.questions[0].wording().in_("zh-Hant") == "哪裡沒做好？"
    assert survey.questions[0].wording().in_("en") == "哪里没做好？"  # not spoken: the default's fallback


def test_display_logic_looks_back_at_a_question_it_can_test() -> None:
    later = problems(
        "  - id: why\n    type: text\n    text: {zh-Hans: 为什么, en: Why}\n"
        "    show_if: {question: nps, at_most: 6}\n  - {id: nps, type: nps}\n"
    )
    assert later == [
        "s.yaml:8: questions[0].show_if.question: 'nps' is not a question before this one: display logic looks back"
    ]
    outside = problems(
        "  - {id: nps, type: nps}\n"
        "  - id: why\n    type: text\n    text: {zh-Hans: 为什么, en: Why}\n"
        "    show_if: {question: nps, at_most: 11}\n"
    )
    assert outside == ["s.yaml:9: questions[1].show_if.at_most: 11 is outside 'nps''s scale 0–10"]
    words = problems(
        "  - id: w\n    type: text\n    text: {zh-Hans: 说说, en: Tell us}\n"
        "  - id: why\n    type: text\n    text: {zh-Hans: 为什么, en: Why}\n"
        "    show_if: {question: w, at_most: 3}\n"
    )
    assert "at_most / at_least test a scored answer; 'w' is a text question" in words[0]


def test_choices_need_options_and_their_ids_are_checked() -> None:
    [line] = problems(
        "  - id: c\n    type: single\n    text: {zh-Hans: 选, en: Pick}\n"
        "    options: [{id: a, text: {zh-Hans: 甲, en: A}}]\n"
    )
    assert "questions[0]: Value error" not in line and "a single question needs two or more options" in line
    unknown = problems(
        "  - id: c\n    type: single\n    text: {zh-Hans: 选, en: Pick}\n"
        "    options: [{id: a, text: {zh-Hans: 甲, en: A}}, {id: b, text: {zh-Hans: 乙, en: B}}]\n"
        "  - id: why\n    type: text\n    text: {zh-Hans: 为什么, en: Why}\n    show_if: {question: c, any_of: [z]}\n"
    )
    assert unknown == ["s.yaml:12: questions[1].show_if.any_of: 'c' has no option z"]


def test_touchpoints_and_ids_are_checked() -> None:
    lines = problems("  - {id: q, type: nps, touchpoint: servng_time}\n  - {id: q, type: csat}\n", journey=True)
    assert "s.yaml:6: questions[1].id: question id 'q' is used twice; give each question its own id" in lines
    unknown = problems("  - {id: q, type: nps, touchpoint: servng_time}\n", journey=True)
    assert unknown == ["s.yaml:5: questions[0].touchpoint: 'servng_time' is not a touchpoint of journey 'catering'"]


def test_an_unknown_field_points_at_the_docs() -> None:
    [line] = problems("  - {id: q, type: nps, colour: red}\n")
    assert line == "s.yaml:5: questions[0].colour: unknown field; check the spelling against docs/surveys.md"


def test_the_rater_battery_has_22_items_in_five_dimensions() -> None:
    battery = items()
    assert len(battery) == 22 and [n for n, _, _ in battery] == list(range(1, 23))
    assert {name: len(numbers) for name, numbers in DIMENSIONS.items()} == {
        "tangibles": 4, "reliability": 5, "responsiveness": 4, "assurance": 4, "empathy": 5,
    }  # fmt: skip
    assert [d for n, d, _ in battery if n in (4, 5, 13, 14, 22)] == [
        "tangibles", "reliability", "responsiveness", "assurance", "empathy",
    ]  # fmt: skip
    assert all(text.written("zh-Hans") and text.written("en") for _, _, text in battery)


def test_the_cli_validates_and_says_each_problem(tmp_path: Path) -> None:
    ok = carlzon("surveys", "validate", str(EXAMPLE), cwd=tmp_path, env={"CARLZON_WORKSPACE": str(tmp_path / "ws")})
    assert ok.returncode == 0 and "touchpoints checked against the bundled template 'catering'" in " ".join(
        ok.stdout.split()
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(HEAD + "  - {id: q, type: nps, touchpoint: nowhere}\n", encoding="utf-8")
    failed = carlzon("surveys", "validate", str(bad), cwd=tmp_path, env={"CARLZON_WORKSPACE": str(tmp_path / "ws")})
    assert failed.returncode == 2 and "Traceback" not in failed.stderr
    assert f"{bad}:5: questions[0].touchpoint: 'nowhere' is not a touchpoint of journey 'catering'" in failed.stderr
