"""The bundled demo: synthetic restaurant feedback with planted patterns, run end to end."""

from __future__ import annotations

from typing import Any

from carlzon.demo.generate import OWN_BRAND, PLANTED, generate_example_feedback, write_example_csv

__all__ = ["OWN_BRAND", "PLANTED", "DemoResult", "generate_example_feedback", "run_demo", "write_example_csv"]


def __getattr__(name: str) -> Any:
    """run_demo pulls in analysis and reports; load it only when asked for (keeps `--help` fast)."""
    if name in ("run_demo", "DemoResult"):
        from carlzon.demo import run

        return getattr(run, name)
    raise AttributeError(name)
