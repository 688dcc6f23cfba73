"""Journeys: journey → stages → touchpoints, the four moments, and industry templates."""

from carlzon._lazy import lazy_exports

_FACE = {
    "Journey": "carlzon.journeys.models",
    "Lexicon": "carlzon.journeys.models",
    "MomentKind": "carlzon.journeys.models",
    "Names": "carlzon.journeys.models",
    "Phase": "carlzon.journeys.models",
    "Stage": "carlzon.journeys.models",
    "Touchpoint": "carlzon.journeys.models",
    "list_templates": "carlzon.journeys.templates",
    "load_journey_file": "carlzon.journeys.templates",
    "load_template": "carlzon.journeys.templates",
    "parse_journey": "carlzon.journeys.templates",
    "resolve_journey": "carlzon.journeys.templates",
}
__all__ = sorted(_FACE)
__getattr__, __dir__ = lazy_exports(__name__, _FACE)
