"""Storage: SQLite by default, PostgreSQL by URL. The only package that writes SQL."""

from carlzon._lazy import lazy_exports

_FACE = {
    "make_engine": "carlzon.storage.engine",
    "AddFeedbackResult": "carlzon.storage.store",
    "Store": "carlzon.storage.store",
}
__all__ = sorted(_FACE)
__getattr__, __dir__ = lazy_exports(__name__, _FACE)
