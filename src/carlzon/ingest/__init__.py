"""Ingest: customer voice from every channel into FeedbackRecords."""

from carlzon._lazy import lazy_exports

_FACE = {
    "Channel": "carlzon.ingest.models",
    "FeedbackRecord": "carlzon.ingest.models",
    "import_source": "carlzon.ingest.service",
    "ImportReport": "carlzon.ingest.service",
    "Mapping": "carlzon.ingest.mapping",
}
__all__ = sorted(_FACE)
__getattr__, __dir__ = lazy_exports(__name__, _FACE)
