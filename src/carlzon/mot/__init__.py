"""Moments of truth: find and rank the few moments that decide loyalty."""

from carlzon._lazy import lazy_exports

_FACE = {
    "MotWeights": "carlzon.mot.prioritise",
    "RankedMoment": "carlzon.mot.prioritise",
    "MotRanking": "carlzon.mot.prioritise",
    "rank_moments": "carlzon.mot.prioritise",
    "analyse_moments": "carlzon.mot.service",
    "review_all": "carlzon.mot.improvements",
    "BrandMoments": "carlzon.mot.service",
    "Improvement": "carlzon.mot.models",
    "DriverAnalysis": "carlzon.mot.drivers",
    "analyse_drivers": "carlzon.mot.drivers",
    "ReviewResult": "carlzon.mot.review",
    "add_improvement": "carlzon.mot.improvements",
}
__all__ = sorted(_FACE)
__getattr__, __dir__ = lazy_exports(__name__, _FACE)
