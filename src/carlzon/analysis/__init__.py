"""Text analytics: language, normalisation, sentiment, touchpoint tagging."""
