"""Heavy optional dependencies, imported only when a feature needs them, with the install command."""

from __future__ import annotations

import importlib
from types import ModuleType


def require(module: str, extra: str) -> ModuleType:
    """Import ``module`` or raise ModuleNotFoundError naming the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError(
            f"{module} is needed for this; install it with: pip install 'carlzon[{extra}]'"
        ) from exc
