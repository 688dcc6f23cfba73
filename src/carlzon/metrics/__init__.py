"""Metrics: scores with confidence intervals and the journey map."""

from carlzon._lazy import lazy_exports

_FACE = {
    "JourneyMap": "carlzon.metrics.journey_map",
    "build_journey_map": "carlzon.metrics.journey_map",
    "journey_map_from_stats": "carlzon.metrics.journey_map",
    "mention_stats": "carlzon.metrics.journey_map",
    "Estimate": "carlzon.metrics.intervals",
    "mean_interval": "carlzon.metrics.scores",
    "nps": "carlzon.metrics.scores",
}
__all__ = sorted(_FACE)
__getattr__, __dir__ = lazy_exports(__name__, _FACE)
