"""Rules a CX manager writes in YAML: ``when`` a piece of feedback looks like this, ``then`` make
this task, for this department, this soon, and tell these channels.

The file is validated like a journey (every problem with its file, line and field), and once more
against the journey it names, so a misspelt touchpoint id is said before any feedback is read.
See docs/rules.md for every field.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from carlzon.actions.alerts import Alert
from carlzon.actions.calendar import ALWAYS, Calendar
from carlzon.actions.channels import Delivery, NotifyChannel
from carlzon.actions.fields import Duration, Names, listed
from carlzon.actions.models import Priority
from carlzon.actions.severity import Severity
from carlzon.errors import RulesFileError
from carlzon.ingest.models import Channel
from carlzon.journeys.models import Journey
from carlzon.serviceqa.models import STEPS
from carlzon.yamlfile import (
    PathKey,
    Problem,
    field_name,
    line_for,
    read_definition,
    validated_definition,
)

DOCS = "docs/rules.md"
_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class When(_Strict):
    """What a record must be for the rule to fire: every condition given must hold (AND); a list
    of values within one condition is any of them (OR). Nothing given matches everything."""

    touchpoint: Names = Field(default_factory=list, description="Touchpoint ids, any of them mentioned")
    stage: Names = Field(default_factory=list, description="Stage ids, any touchpoint of them mentioned")
    sentiment_at_most: float | None = Field(default=None, ge=-1, le=1)
    emotion: Names = Field(default_factory=list, description="poor, neutral, happy, surprised")
    severity: Severity | None = Field(default=None, description="At least this severity")
    keywords: Names = Field(default_factory=list, description="Any of these words (zh-Hans, zh-Hant or en)")
    regex: str | None = Field(default=None, description="A regular expression the text must match")
    channel: Annotated[list[Channel], BeforeValidator(listed)] = Field(default_factory=list)
    brand: Names = Field(default_factory=list)
    store: Names = Field(default_factory=list, description="Store (location) names")
    segment: Names = Field(default_factory=list, description="Customer segment, the 'segment' column")
    nps_at_most: int | None = Field(default=None, ge=0, le=10)
    csat_at_most: int | None = Field(default=None, ge=1, le=5)
    reach_above: int | None = Field(default=None, ge=0, description="Followers or views of the post")
    repeat_within: Duration | None = Field(
        default=None, description="The same customer complained (negative) before, within this time"
    )
    qa_missing_step: Names = Field(
        default_factory=list,
        alias="qa.missing_step",
        description="A service conversation (carlzon qa import) whose agent missed any of these EOAC steps: "
        "explore, offer, act, confirm",
    )

    survey: Names = Field(
        default_factory=list,
        description="An answer sent on the public survey page to any of these surveys (ids; any survey: '*')",
    )

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value

    @field_validator("qa_missing_step")
    @classmethod
    def _known_steps(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(STEPS))
        if unknown:
            raise ValueError(f"unknown EOAC step(s) {unknown}; use {', '.join(STEPS)}")
        return value

    @field_validator("emotion")
    @classmethod
    def _known_emotions(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - {"poor", "neutral", "happy", "surprised"})
        if unknown:
            raise ValueError(f"unknown emotion(s) {unknown}; use poor, neutral, happy or surprised")
        return value


class TaskSpec(_Strict):
    """The task a match makes. The department defaults to the owner of the touchpoint mentioned."""

    title: str | None = Field(default=None, min_length=1, description="Default: the rule's name")
    department: str | None = Field(default=None, min_length=1)
    assignee: str | None = Field(default=None, min_length=1)


class Then(_Strict):
    task: TaskSpec = Field(default_factory=TaskSpec)
    priority: Priority = Priority.MEDIUM
    first_response: Duration | None = Field(default=None, description="Default: the file's sla for the priority")
    resolution: Duration | None = None
    notify: Names = Field(default_factory=list, description="Names of channels in the notify section")
    tag: Names = Field(default_factory=list)
    recovery: bool = Field(default=False, description="A complaint-recovery task: contact the customer back")


class Rule(_Strict):
    id: str = Field(pattern=_ID_PATTERN)
    name: str = Field(min_length=1)
    when: When = Field(default_factory=When)
    then: Then = Field(default_factory=Then)
    dedupe_within: Duration = Field(
        default=timedelta(days=7),
        description="Further matches join the open task of the same rule and customer (or touchpoint and store)",
    )


class Sla(_Strict):
    first_response: Duration
    resolution: Duration


DEFAULT_SLA = {
    Priority.CRITICAL: Sla(first_response=timedelta(hours=1), resolution=timedelta(hours=24)),
    Priority.HIGH: Sla(first_response=timedelta(hours=4), resolution=timedelta(days=3)),
    Priority.MEDIUM: Sla(first_response=timedelta(days=1), resolution=timedelta(days=7)),
    Priority.LOW: Sla(first_response=timedelta(days=3), resolution=timedelta(days=14)),
}


class EscalationStep(_Strict):
    """What happens when a clock is breached: the task is escalated to ``to`` (the department
    head, the next level) and these channels are told, once per task and step."""

    breach: Literal["first_response", "resolution"] = Field(description="Which clock's breach takes this step")
    to: str = Field(min_length=1, description="Who it escalates to (a name or role)")
    notify: Names = Field(default_factory=list)


class Department(_Strict):
    """A department's calendar (which hours its SLA clocks count), the channels its new tasks
    go to, and its escalation steps (default: the file's ``escalation``)."""

    calendar: str | None = Field(default=None, description="A name in the calendars section")
    notify: Names = Field(default_factory=list)
    escalation: list[EscalationStep] | None = None


class RuleSet(_Strict):
    """A rules file: the journey its touchpoints belong to, the rules in order, and SLA targets
    per priority (business hours come from the department calendars)."""

    journey: str = Field(min_length=1)
    rules: list[Rule] = Field(min_length=1)
    sla: dict[Priority, Sla] = Field(default_factory=dict)
    sensitive: Names = Field(
        default_factory=list, description="Touchpoint ids whose negative mention is at least high severity"
    )
    calendars: dict[str, Calendar] = Field(default_factory=dict, description="Business-hours calendars by name")
    default_calendar: str | None = Field(default=None, description="Calendar of departments without their own")
    departments: dict[str, Department] = Field(default_factory=dict)
    escalation: list[EscalationStep] = Field(
        default_factory=list, description="Escalation steps of departments without their own"
    )
    notify: dict[str, NotifyChannel] = Field(default_factory=dict, description="Channels by name")
    delivery: Delivery = Field(default_factory=Delivery)
    alerts: list[Alert] = Field(default_factory=list, description="Checks of volume against history, NPS floors")

    def all_escalation_steps(self) -> list[EscalationStep]:
        return [*self.escalation, *(s for d in self.departments.values() for s in d.escalation or [])]

    def calendar_for(self, department: str) -> Calendar:
        """The department's calendar, else the default one, else around the clock."""
        settings = self.departments.get(department)
        name = (settings.calendar if settings else None) or self.default_calendar
        return self.calendars[name] if name else ALWAYS

    def escalation_for(self, department: str) -> list[EscalationStep]:
        settings = self.departments.get(department)
        return settings.escalation if settings and settings.escalation is not None else self.escalation

    def channels_for(self, rule: Rule, department: str) -> list[str]:
        """Where a new task of ``rule`` for ``department`` is announced: the rule's channels and
        the department's, each once."""
        settings = self.departments.get(department)
        return list(dict.fromkeys([*rule.then.notify, *(settings.notify if settings else [])]))

    def sla_for(self, rule: Rule) -> Sla:
        """The rule's first-response and resolution targets: its own, else the file's, else the defaults."""
        base = self.sla.get(rule.then.priority, DEFAULT_SLA[rule.then.priority])
        return Sla(
            first_response=rule.then.first_response or base.first_response,
            resolution=rule.then.resolution or base.resolution,
        )

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def _known(section: dict[str, object]) -> str:
    return "defined: " + ", ".join(sorted(section)) if section else "it is empty"


def load_rules(path: str | Path, journey: Journey | None = None) -> RuleSet:
    """Read and validate a rules file (and, given the journey, its touchpoint and stage ids)."""
    path = Path(path)
    return parse_rules(read_definition(path, RulesFileError, "rules file"), source=str(path), journey=journey)


def parse_rules(text: str, *, source: str = "<string>", journey: Journey | None = None) -> RuleSet:
    """Validate rules YAML text; ``source`` names it in error messages."""
    rules, lines = validated_definition(text, source, RuleSet, RulesFileError, expected="journey and rules", docs=DOCS)
    problems = _cross_references(rules, lines)
    if problems:
        raise RulesFileError(source, problems)
    if journey is not None:
        problems = list(_against_journey(rules, journey, lines))
        if problems:
            raise RulesFileError(source, problems)
    return rules


def _cross_references(rules: RuleSet, lines: dict[PathKey, int]) -> list[Problem]:
    """Names that must be defined elsewhere in the file, each said at its own line: rule ids used
    once, calendars and notify channels that exist (a typo would silently mean 'none')."""
    problems: list[Problem] = []

    def say(loc: PathKey, message: str) -> None:
        problems.append((line_for(loc, lines), field_name(loc), message))

    seen: set[str] = set()
    for index, rule in enumerate(rules.rules):
        if rule.id in seen:
            say(("rules", index, "id"), f"rule id '{rule.id}' is used twice; give each rule its own id")
        seen.add(rule.id)
    calendars = _known(rules.calendars)
    if rules.default_calendar is not None and rules.default_calendar not in rules.calendars:
        say(("default_calendar",), f"calendar '{rules.default_calendar}' is not in the calendars section ({calendars})")
    for name, department in rules.departments.items():
        if department.calendar is not None and department.calendar not in rules.calendars:
            say(
                ("departments", name, "calendar"),
                f"calendar '{department.calendar}' is not in the calendars section ({calendars})",
            )
    named: list[tuple[PathKey, list[str]]] = [
        *((("rules", i, "then", "notify"), rule.then.notify) for i, rule in enumerate(rules.rules)),
        *((("departments", name, "notify"), d.notify) for name, d in rules.departments.items()),
        *((("escalation", i, "notify"), step.notify) for i, step in enumerate(rules.escalation)),
        *(
            (("departments", name, "escalation", i, "notify"), step.notify)
            for name, d in rules.departments.items()
            for i, step in enumerate(d.escalation or [])
        ),
        *((("alerts", i, "then", "notify"), alert.then.notify) for i, alert in enumerate(rules.alerts)),
    ]
    for loc, channels in named:
        for position, channel in enumerate(channels):
            if channel not in rules.notify:
                say((*loc, position), f"channel '{channel}' is not in the notify section ({_known(rules.notify)})")
    return sorted(problems, key=lambda problem: problem[0] or 0)


def _against_journey(rules: RuleSet, journey: Journey, lines: dict[PathKey, int]) -> list[Problem]:
    problems: list[Problem] = []
    if rules.journey != journey.id:
        problems.append((line_for(("journey",), lines), "journey", f"names '{rules.journey}', not '{journey.id}'"))
    touchpoints = {tp.id for tp in journey.touchpoints()}
    stages = {stage.id for stage in journey.stages}
    for position, name in enumerate(rules.sensitive):
        if name not in touchpoints:
            problems.append(
                (
                    line_for(("sensitive", position), lines),
                    "sensitive",
                    f"no touchpoint '{name}' in journey '{journey.id}'",
                )
            )
    for index, rule in enumerate(rules.rules):
        for kind, given, known in (
            ("touchpoint", rule.when.touchpoint, touchpoints),
            ("stage", rule.when.stage, stages),
        ):
            for position, name in enumerate(given):
                if name not in known:
                    loc: PathKey = ("rules", index, "when", kind, position)
                    problems.append(
                        (
                            line_for(loc, lines),
                            f"rules[{index}].when.{kind}",
                            f"no {kind} '{name}' in journey '{journey.id}' (it has: {', '.join(sorted(known))})",
                        )
                    )
    return problems
