"""Touchpoints: which moments of the journey a text talks about, from the journey's keyword taxonomy
(``tagger.py``) and, optionally, a trained model; ``analyzer.py`` is the pipeline step.
"""

from carlzon._lazy import lazy_exports

_FACE = {
    "TouchpointAnalyzer": "carlzon.analysis.touchpoints.analyzer",
    "TouchpointTagger": "carlzon.analysis.touchpoints.tagger",
}
__all__ = sorted(_FACE)
__getattr__, __dir__ = lazy_exports(__name__, _FACE)
