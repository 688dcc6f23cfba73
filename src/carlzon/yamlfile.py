"""Reading the small YAML files users write (journeys, rules, label maps, mappings, metric trees).

One place turns a missing file, a folder, a file in another encoding or a YAML syntax error
into an InputError that names the file (and the line), instead of a traceback.

Why our own validation step: pydantic knows *which* field is wrong, PyYAML knows *where* each
node is. Composing the node tree first lets us give the line of the offending field, which is
what a CX analyst editing a file by hand needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from carlzon.errors import InputError, YamlFileError

PathKey = tuple[str | int, ...]
Problem = tuple[int | None, str, str]  # (line, field, problem)
M = TypeVar("M", bound=BaseModel)


class NoAliasLoader(yaml.SafeLoader):
    """SafeLoader without anchors and aliases (&a / *a). A handful of nested aliases expands into
    billions of nodes ("billion laughs"), and a self-referencing one recurses without end: a rules
    text posted to the web app must not be able to exhaust the server. Our files never need them."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed here; write the value out", event.start_mark
            )
        return super().compose_node(parent, index)


def load_yaml(text: str) -> Any:
    """The data of a YAML text, aliases refused (see NoAliasLoader)."""
    return yaml.load(text, Loader=NoAliasLoader)


def syntax_error(exc: yaml.YAMLError) -> tuple[int | None, str]:
    """Where (1-based line, when PyYAML knows it) and what a YAML syntax error is."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if isinstance(exc, yaml.reader.ReaderError):  # a control character: say which, and where
        return None, f"character {exc.character!r} at position {exc.position} is not allowed in YAML; remove it"
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return (mark.line + 1 if mark is not None else None), problem


def read_yaml(path: Path, what: str) -> Any:
    """The YAML document in ``path``; ``what`` names the file in errors ("label map")."""
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{what} {path} does not exist") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{what} {path} is a folder, not a file") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} {path} is not UTF-8 text; save it as UTF-8") from exc
    except yaml.YAMLError as exc:
        line, problem = syntax_error(exc)
        where = f"{path}:{line}" if line is not None else str(path)
        raise InputError(f"{where}: {what} is not valid YAML: {problem}") from exc


def compose_and_construct(text: str) -> tuple[yaml.Node | None, Any]:
    """The YAML node tree (it knows each key's line, for error messages) and the data built from
    it, from one parse of ``text``. Raises yaml.YAMLError on a syntax error or a character YAML refuses."""
    loader = NoAliasLoader(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    finally:
        loader.dispose()


def node_lines(node: yaml.Node | None, path: PathKey = ()) -> dict[PathKey, int]:
    """The 1-based line of every key and item under ``node``, by its path."""
    return dict(_node_lines(node, path)) if node is not None else {}


def _node_lines(node: yaml.Node, path: PathKey) -> Iterator[tuple[PathKey, int]]:
    yield path, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            yield (*path, key), key_node.start_mark.line + 1
            for sub_path, line in _node_lines(value_node, (*path, key)):
                if sub_path != (*path, key):
                    yield sub_path, line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _node_lines(item, (*path, index))


def duplicate_keys(node: yaml.Node | None, path: PathKey = ()) -> list[Problem]:
    """Keys written twice in one mapping: YAML keeps the last silently, which hides a typo or a
    pasted block; each is said at its second line."""
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        first: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in first:
                problems.append(
                    (line, field_name((*path, key)), f"written twice (first at line {first[key]}); keep one")
                )
            first.setdefault(key, line)
            problems.extend(duplicate_keys(value_node, (*path, key)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            problems.extend(duplicate_keys(item, (*path, index)))
    return problems


def line_for(loc: PathKey, lines: dict[PathKey, int]) -> int | None:
    """The line of ``loc``, or of its nearest parent that has one."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def field_name(loc: PathKey) -> str:
    """A path as a person writes it: ``rules[2].when.sentiment_at_most``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def validation_problems(exc: ValidationError, lines: dict[PathKey, int], *, docs: str) -> list[Problem]:
    """Each pydantic error as (line, field, problem); ``docs`` is where unknown fields are explained."""
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        message = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        shown = repr(err.get("input"))[:60]
        if err["type"] not in ("missing", "extra_forbidden") and "input" in err and shown not in message:
            message += f" (got {shown})"
        if err["type"] == "extra_forbidden":
            message = f"unknown field; check the spelling against {docs}"
        problems.append((line_for(loc, lines), field_name(loc), message))
    return problems


def read_definition(path: Path, error: type[YamlFileError], what: str) -> str:
    """The text of a definition file (rules, a survey), or ``error`` saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error(str(path), [(None, "(file)", "does not exist; check the path")]) from exc
    except IsADirectoryError as exc:
        raise error(str(path), [(None, "(file)", f"is a folder, not a {what}")]) from exc
    except UnicodeDecodeError as exc:
        raise error(str(path), [(None, "(file)", f"not UTF-8 text: {exc.reason}")]) from exc


def composed_mapping(
    text: str, source: str, error: type[YamlFileError], expected: str
) -> tuple[dict[str, Any], dict[PathKey, int]]:
    """A definition's mapping and the line of each node, or ``error`` for a syntax error, a
    document that is not a mapping (``expected`` says what it should hold) or a key written twice."""
    try:
        root, data = compose_and_construct(text)
    except yaml.YAMLError as exc:  # a syntax error, or a character YAML refuses (ReaderError)
        line, problem = syntax_error(exc)
        raise error(source, [(line, "(syntax)", problem)]) from exc
    if not isinstance(data, dict):
        raise error(source, [(1, "(document)", f"expected a mapping with {expected}")])
    twice = duplicate_keys(root)
    if twice:
        raise error(source, twice)
    return data, node_lines(root)


Model = TypeVar("Model", bound=BaseModel)


def validated_definition(
    text: str, source: str, model: type[Model], error: type[YamlFileError], *, expected: str, docs: str
) -> tuple[Model, dict[PathKey, int]]:
    """A definition's text read into ``model`` (composed_mapping, then pydantic), with the line of
    each node for the checks that follow; ``error`` lists every problem with its line and field."""
    data, lines = composed_mapping(text, source, error, expected)
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        raise error(source, validation_problems(exc, lines, docs=docs)) from exc
