"""Sentiment: clause-aware scoring (cue lexicons, VADER, the Chinese and English priors), labels,
emotion, and self-training on the user's own feedback.

Where to look: ``analyzer.py`` (the pipeline step), ``scorer.py`` (a batch in two stages),
``cues.py`` and ``lexicon.py`` (the cue words, negation and degree), ``prior.py`` (the n-gram
priors fitted from package data), ``selftrain.py`` (the classifier learnt from the batch).
"""

from carlzon._lazy import lazy_exports

_FACE = {
    "SentimentAnalyzer": "carlzon.analysis.sentiment.analyzer",
    "LexiconSentiment": "carlzon.analysis.sentiment.scorer",
    "Sentiment": "carlzon.analysis.sentiment.cues",
    "LABELS": "carlzon.analysis.sentiment.cues",
    "label_for": "carlzon.analysis.sentiment.cues",
    "emotion_for": "carlzon.analysis.sentiment.cues",
    "Prior": "carlzon.analysis.sentiment.prior",
    "default_prior": "carlzon.analysis.sentiment.prior",
    "prior_unseen_by": "carlzon.analysis.sentiment.prior",
    "SelfTrained": "carlzon.analysis.sentiment.selftrain",
}
__all__ = sorted(_FACE)
__getattr__, __dir__ = lazy_exports(__name__, _FACE)
