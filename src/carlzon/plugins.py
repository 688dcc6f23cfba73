"""Plugin discovery: analyzers come from the ``carlzon.analyzers`` entry-point group.

Carlzon's own analyzers are registered there too (pyproject.toml), so the plugin path is the
only path and is always exercised. A plugin package declares, in its own pyproject.toml::

    [project.entry-points."carlzon.analyzers"]
    toxicity = "my_package.toxicity:ToxicityAnalyzer"
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from carlzon.analysis.base import Analyzer
from carlzon.errors import AnalysisError

GROUP = "carlzon.analyzers"
_EXTRA: dict[str, type] = {}


@cache
def _entry_point_analyzers() -> dict[str, type]:
    found: dict[str, type] = {}
    for entry in entry_points(group=GROUP):
        loaded = entry.load()
        if not (isinstance(loaded, type) and issubclass(loaded, Analyzer)):
            raise AnalysisError(f"entry point {entry.name!r} in {GROUP} is not an Analyzer subclass: {entry.value}")
        found[entry.name] = loaded
    return found


def analyzers() -> dict[str, type]:
    """Every registered analyzer class by name (entry points, plus any registered in-process)."""
    return {**_entry_point_analyzers(), **_EXTRA}


def analyzer_class(name: str) -> type:
    """The analyzer registered under ``name``, or an error listing the known ones."""
    known = analyzers()
    if name not in known:
        raise AnalysisError(
            f"no analyzer named {name!r} in {GROUP}; known: {', '.join(sorted(known))}. "
            "Reinstall carlzon (pip install -e .) if the built-ins are missing."
        )
    return known[name]


def register_analyzer(name: str, cls: type) -> None:
    """Register an analyzer in this process only (tests; notebooks). Undo with unregister_analyzer."""
    _EXTRA[name] = cls


def unregister_analyzer(name: str) -> None:
    """Remove an analyzer registered with register_analyzer."""
    _EXTRA.pop(name, None)
