"""Turn insight into tasks for the departments that own each moment."""

from carlzon._lazy import lazy_exports

_FACE = {
    "Priority": "carlzon.actions.models",
    "Task": "carlzon.actions.models",
    "TaskStatus": "carlzon.actions.models",
}
__all__ = sorted(_FACE)
__getattr__, __dir__ = lazy_exports(__name__, _FACE)
