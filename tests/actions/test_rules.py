"""Rules files: validated with file:line: field: message, and checked against the journey."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from carlzon.actions.fields import parse_duration
from carlzon.actions.models import Priority
from carlzon.actions.rules import load_rules, parse_rules
from carlzon.errors import RulesFileError
from carlzon.journeys import load_template
from tests.cli.test_cli import carlzon

GOOD = """\
journey: catering
sensitive: [hygiene]
sla:
  high: {first_response: 2h, resolution: 2d}
rules:
  - id: food-safety
    name: Food safety and product-quality warnings go to the quality team
    when:
      severity: critical
    then:
      task: {department: Quality}
      priority: critical
  - id: slow-serving
    name: Slow serving
    when:
      touchpoint: serving_time
      sentiment_at_most: -0.3
      channel: [app_review, social]
    then:
      priority: high
      resolution: 1d
"""


def test_a_good_file_reads_with_its_defaults_and_slas() -> None:
    rules = parse_rules(GOOD, journey=load_template("catering"))
    assert [r.id for r in rules.rules] == ["food-safety", "slow-serving"]
    slow = rules.rule("slow-serving")
    assert slow.when.touchpoint == ["serving_time"]  # one value is a list of one
    assert rules.sla_for(slow).first_response == timedelta(hours=2)  # the file's SLA for high
    assert rules.sla_for(slow).resolution == timedelta(days=1)  # the rule's own
    assert rules.sla_for(rules.rule("food-safety")).first_response == timedelta(hours=1)  # the default
    assert rules.rule("food-safety").then.priority is Priority.CRITICAL


@pytest.mark.parametrize(
    ("change", "line", "field", "message"),
    [
        (("sentiment_at_most: -0.3", "sentiment_at_most: -3"), 17, "rules[1].when.sentiment_at_most", "greater than"),
        (("resolution: 1d", "resolution: soon"), 21, "rules[1].then.resolution", "expected a duration"),
        (("channel: [app_review, social]", "channel: [app_review, fax]"), 18, "rules[1].when.channel[1]", "fax"),
        (("      priority: high", "      priority: high\n      colour: red"), 21, "rules[1].then.colour", "unknown"),
        (("id: slow-serving", "id: food-safety"), 13, "rules[1].id", "used twice"),
        (("sentiment_at_most: -0.3", "regex: '(unclosed'"), 17, "rules[1].when.regex", "regular expression"),
        (
            ("      priority: high", "      priority: high\n      priority: low"),
            21,
            "rules[1].then.priority",
            "written twice",
        ),
    ],
)
def test_each_problem_names_its_line_and_field(change: tuple[str, str], line: int, field: str, message: str) -> None:
    with pytest.raises(RulesFileError) as caught:
        parse_rules(GOOD.replace(*change), source="r.yaml")
    lines = caught.value.lines()
    assert any(item.startswith(f"r.yaml:{line}: {field}: ") and message in item for item in lines), lines


def test_touchpoints_and_stages_are_checked_against_the_journey() -> None:
    text = GOOD.replace("touchpoint: serving_time", "touchpoint: [serving_tme]\n      stage: [dessert]")
    parse_rules(text)  # without the journey the ids cannot be known
    with pytest.raises(RulesFileError) as caught:
        parse_rules(text, source="r.yaml", journey=load_template("catering"))
    lines = caught.value.lines()
    assert lines[0].startswith("r.yaml:16: rules[1].when.touchpoint: no touchpoint 'serving_tme'")
    assert lines[1].startswith("r.yaml:17: rules[1].when.stage: no stage 'dessert'")


def test_durations() -> None:
    assert parse_duration("30m") == timedelta(minutes=30)
    assert parse_duration("1.5h") == timedelta(hours=1, minutes=30)
    assert parse_duration("2w") == timedelta(days=14)
    with pytest.raises(ValueError, match="duration"):
        parse_duration("tomorrow")


def test_validate_prints_one_line_per_problem_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text(GOOD.replace("resolution: 1d", "resolution: soon").replace("-0.3", "-3"), encoding="utf-8")
    result = carlzon("rules", "validate", str(bad), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and "Traceback" not in result.stderr
    assert f"{bad}:17: rules[1].when.sentiment_at_most:" in errors[0]
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    ok = carlzon("rules", "validate", str(good), cwd=tmp_path)
    assert ok.returncode == 0 and "2 rules" in ok.stdout, ok.stderr
    missing = carlzon("rules", "validate", str(tmp_path / "nope.yaml"), cwd=tmp_path)
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_a_missing_file_is_said() -> None:
    with pytest.raises(RulesFileError, match="does not exist"):
        load_rules("/nonexistent/rules.yaml")


def test_the_bundled_example_is_valid_for_its_journey() -> None:
    import carlzon.actions

    example = Path(carlzon.actions.__file__).parent / "examples" / "catering-rules.yaml"
    rules = load_rules(example, load_template("catering"))
    assert "food-safety" in {r.id for r in rules.rules}
    assert carlzon.actions.load_rules is load_rules  # the package's front door


def test_validate_refuses_a_journey_that_is_not_stored_when_others_are(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    assert carlzon("journeys", "load", "catering", "-w", str(workspace), cwd=tmp_path).returncode == 0
    typo = tmp_path / "rules.yaml"
    typo.write_text(GOOD.replace("journey: catering", "journey: caterin"), encoding="utf-8")
    result = carlzon("rules", "validate", str(typo), "-w", str(workspace), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    line = GOOD.splitlines().index("journey: catering") + 1
    assert f"{typo}:{line}: journey: no journey 'caterin' is stored; stored: catering" in result.stderr


def test_a_control_character_is_a_problem_not_a_crash() -> None:
    with pytest.raises(RulesFileError) as caught:
        parse_rules("journey: cat\x08ering\n", source="r.yaml")
    assert "is not allowed in YAML" in caught.value.lines()[0]
