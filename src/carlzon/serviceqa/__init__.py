"""Service-conversation QA: EOAC steps (Explore, Offer, Act, Confirm) and ABC behaviour read from
call-centre, chat and social-media transcripts, a conversation score with its reasons, and its
evaluation on real customer–helpdesk dialogues. ``cues.py`` holds the words, ``reading.py`` the
per-turn reading, ``scoring.py`` the conversation score, ``evaluate.py`` the measurement.
"""

from carlzon._lazy import lazy_exports

_FACE = {
    "Conversation": "carlzon.serviceqa.models",
    "Turn": "carlzon.serviceqa.models",
    "read_turn": "carlzon.serviceqa.reading",
    "score_conversation": "carlzon.serviceqa.scoring",
    "train_qa": "carlzon.serviceqa.training",
    "load_conversations": "carlzon.serviceqa.files",
}
__all__ = sorted(_FACE)
__getattr__, __dir__ = lazy_exports(__name__, _FACE)
