"""Numbers and tables as JSON can hold them: NaN and infinities become null, numpy scalars plain numbers.

Every result type's ``to_dict()`` (metrics, mot, reports) uses these, so the CLI's ``--json`` and
the web API print the same shapes.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd


def json_number(value: Any) -> Any:
    """A plain int, float or None for a number (None for NaN and infinities); anything else as it is."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as JSON-ready dicts."""
    return [{str(k): json_number(v) for k, v in row.items()} for row in frame.to_dict("records")]


def json_ready(value: Any) -> Any:
    """Nested dicts and lists (a dataclass's asdict) with every number as json_number gives it."""
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return json_number(value)
