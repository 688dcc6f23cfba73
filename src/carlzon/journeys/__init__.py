"""Journeys: journey → stages → touchpoints, the four moments, and industry templates."""

from carlzon.journeys.models import Journey, Lexicon, MomentKind, Names, Phase, Stage, Touchpoint
from carlzon.journeys.templates import (
    list_templates,
    load_journey_file,
    load_template,
    parse_journey,
    resolve_journey,
)

__all__ = [
    "Journey",
    "Lexicon",
    "MomentKind",
    "Names",
    "Phase",
    "Stage",
    "Touchpoint",
    "list_templates",
    "load_journey_file",
    "load_template",
    "parse_journey",
    "resolve_journey",
]
