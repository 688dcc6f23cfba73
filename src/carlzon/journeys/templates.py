"""Load journeys from YAML, with errors that point at the file, line and field (see yamlfile)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from carlzon.errors import JourneyFileError, NotFoundError
from carlzon.journeys.models import Journey, Lexicon
from carlzon.yamlfile import (
    PathKey,
    compose_and_construct,
    field_name,
    line_for,
    node_lines,
    syntax_error,
    validation_problems,
)

TEMPLATE_NAMES = ("catering", "airline", "hotel", "retail", "ecommerce")


def list_templates() -> list[str]:
    """Names of the bundled industry templates."""
    return list(TEMPLATE_NAMES)


def template_path(name: str) -> Path:
    """Path of a bundled template, or NotFoundError naming the ones that exist."""
    if name not in TEMPLATE_NAMES:
        raise NotFoundError(f"no journey template named '{name}'; choose one of: {', '.join(TEMPLATE_NAMES)}")
    return Path(str(resources.files("carlzon.journeys") / "templates" / f"{name}.yaml"))


def load_template(name: str) -> Journey:
    """Load a bundled industry template by name (catering, airline, hotel, retail, ecommerce)."""
    return load_journey_file(template_path(name))


def resolve_journey(name_or_path: str | Path) -> Journey:
    """A template name or a path to a YAML file, whichever the user gave."""
    text = str(name_or_path)
    if text in TEMPLATE_NAMES:
        return load_template(text)
    return load_journey_file(Path(text))


def load_journey_file(path: str | Path) -> Journey:
    """Read and validate one journey YAML file; raise JourneyFileError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise NotFoundError(f"journey file {path} does not exist; check the path") from exc
    except UnicodeDecodeError as exc:
        raise JourneyFileError(str(path), [(None, "(file)", f"not UTF-8 text: {exc.reason}")]) from exc
    return parse_journey(text, source=str(path))


def parse_journey(text: str, *, source: str = "<string>") -> Journey:
    """Validate journey YAML text; ``source`` names it in error messages."""
    try:
        root, data = compose_and_construct(text)
    except yaml.YAMLError as exc:  # a syntax error, or a character YAML refuses (ReaderError)
        line, problem = syntax_error(exc)
        raise JourneyFileError(source, [(line, "(syntax)", problem)]) from exc
    if not isinstance(data, dict):
        raise JourneyFileError(source, [(1, "(document)", "expected a mapping with id, name, stages")])
    lines = node_lines(root)
    try:
        journey = Journey.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(exc, lines, docs="docs/journeys.md")
        raise JourneyFileError(source, problems) from exc
    duplicates = list(_duplicate_ids(journey, lines))
    if duplicates:
        raise JourneyFileError(source, duplicates)
    return with_traditional_terms(journey)


def with_traditional_terms(journey: Journey) -> Journey:
    """Fill empty zh_hant keyword/example lists from zh_hans with OpenCC (Taiwan phrasing)."""
    from carlzon.text import to_traditional

    def fill(lex: Lexicon) -> Lexicon:
        if lex.zh_hant or not lex.zh_hans:
            return lex
        converted = list(dict.fromkeys(to_traditional(t) for t in lex.zh_hans))
        return lex.model_copy(update={"zh_hant": converted})

    stages = [
        stage.model_copy(
            update={
                "touchpoints": [
                    tp.model_copy(update={"keywords": fill(tp.keywords), "examples": fill(tp.examples)})
                    for tp in stage.touchpoints
                ]
            }
        )
        for stage in journey.stages
    ]
    return journey.model_copy(update={"stages": stages})


def dump_journey(journey: Journey) -> str:
    """Journey as YAML text (the inverse of parse_journey)."""
    return yaml.safe_dump(journey.model_dump(mode="json"), allow_unicode=True, sort_keys=False, width=100)


def _duplicate_ids(journey: Journey, lines: dict[PathKey, int]) -> Iterator[tuple[int | None, str, str]]:
    seen: dict[str, str] = {}
    for s_index, stage in enumerate(journey.stages):
        for t_index, tp in enumerate(stage.touchpoints):
            loc: PathKey = ("stages", s_index, "touchpoints", t_index, "id")
            if tp.id in seen:
                yield line_for(loc, lines), field_name(loc), f"touchpoint id '{tp.id}' is used twice"
            seen[tp.id] = tp.id
    stage_ids: set[str] = set()
    for s_index, stage in enumerate(journey.stages):
        loc = ("stages", s_index, "id")
        if stage.id in stage_ids:
            yield line_for(loc, lines), field_name(loc), f"stage id '{stage.id}' is used twice"
        stage_ids.add(stage.id)
