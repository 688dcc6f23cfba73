"""How the customer sounds: the sentiment of their last turn, read by Carlzon's default analyzer."""

from __future__ import annotations

from carlzon.serviceqa.models import Conversation

MEASURES = ("A", "S", "E")  # STC-3's: task accomplished, customer satisfaction, effectiveness


def last_customer_sentiments(conversations: list[Conversation]) -> list[float | None]:
    """The sentiment of each conversation's last customer turn (None if the customer never spoke),
    read by the default sentiment analyzer, self-trained on these turns when there are enough."""
    import pandas as pd

    from carlzon.analysis.language import LanguageAnalyzer
    from carlzon.analysis.sentiment.analyzer import SentimentAnalyzer

    picked: list[str | None] = []
    for conversation in conversations:
        said = [turn.text for turn in conversation.turns if turn.role == "customer"]
        picked.append(said[-1] if said else None)
    texts = [text for text in picked if text is not None]
    if not texts:
        return [None] * len(picked)
    batch = LanguageAnalyzer().transform(pd.DataFrame({"text": texts}))
    scores = iter(SentimentAnalyzer().fit_transform(batch)["sentiment"].fillna(0.0).tolist())
    return [next(scores) if text is not None else None for text in picked]
