"""Surveys at every touchpoint: NPS, CSAT, CES, ratings, choices, open text and the RATER /
SERVQUAL battery, defined in YAML or JSON a CX manager reviews in git. ``models.py`` holds the
types, ``definitions.py`` reads and checks a file, ``rater.py`` the 22-item battery.
"""

from carlzon._lazy import lazy_exports

_FACE = {
    "Survey": "carlzon.surveys.models",
    "Question": "carlzon.surveys.models",
    "Text": "carlzon.surveys.models",
    "load_survey": "carlzon.surveys.definitions",
    "parse_survey": "carlzon.surveys.definitions",
}
__all__ = sorted(_FACE)
__getattr__, __dir__ = lazy_exports(__name__, _FACE)
