"""Reading the small YAML files users write (label maps, column mappings, metric trees).

One place turns a missing file, a folder, a file in another encoding or a YAML syntax error
into an InputError that names the file (and the line), instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from carlzon.errors import InputError


def syntax_error(exc: yaml.YAMLError) -> tuple[int | None, str]:
    """Where (1-based line, when PyYAML knows it) and what a YAML syntax error is."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return (mark.line + 1 if mark is not None else None), problem


def read_yaml(path: Path, what: str) -> Any:
    """The YAML document in ``path``; ``what`` names the file in errors ("label map")."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
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
