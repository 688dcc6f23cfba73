"""Seeded answers to the example survey, sent through the same service as the public page, so the
demo's report has survey results and its rules see detractors' answers.

Planted pattern: at Shanghai Jing'an the food comes slowly (the serving CSAT is low and the
detractors say so); elsewhere answers are better. Each answer has a fixed draft key, so a second
demo run finds it sent and adds nothing.
"""

from __future__ import annotations

import random

from carlzon.storage.store import Store
from carlzon.surveys.answers import read_form
from carlzon.surveys.models import LANGUAGES, PublishedSurvey
from carlzon.surveys.responses import LinkAlreadyUsed, submit_response

ANSWERS = 90
SEED = 16
SLOW_STORE = "Shanghai Jing'an"
STORES = (SLOW_STORE, "Shanghai Xuhui", "Beijing Chaoyang", "Hong Kong Causeway Bay", "Taipei Xinyi")
COMPLAINTS = {
    "zh-Hans": ("上菜太慢了，等了四十分钟", "等位一个小时，服务员也不理人", "菜凉了，服务态度很差"),
    "zh-Hant": ("上菜太慢了，等了四十分鐘", "服務員態度很差，叫了三次都沒人理"),
    "en": ("We waited forty minutes for our food", "The staff were rude and the soup was cold"),
}


def answer_example_survey(store: Store, published: PublishedSurvey, *, count: int = ANSWERS) -> int:
    """Send ``count`` seeded answers; returns how many were new."""
    rng = random.Random(SEED)
    sent = 0
    for number in range(count):
        place = STORES[number % len(STORES)]
        language = LANGUAGES[rng.randrange(len(LANGUAGES))]
        slow = place == SLOW_STORE
        score = rng.choice((1, 2, 3, 4, 5, 6, 7, 9)) if slow else rng.choice((3, 6, 7, 8, 9, 9, 10, 10))
        form = {
            "q.nps": [str(score)],
            "q.serving": [str(rng.randint(1, 3) if slow else rng.randint(3, 5))],
            "q.visit-reason": [rng.choice(("family", "business", "quick"))],
            "q.effort": [str(rng.randint(3, 7))],
        }
        if score <= 6:
            form["q.went-wrong"] = [rng.choice(COMPLAINTS[language])]
        for item in range(1, 23):
            base = 4 if slow else 5
            form[f"q.servqual.p{item}"] = [str(min(7, max(1, base + rng.randint(-1, 2))))]
        try:
            submit_response(
                store,
                published,
                draft_key=f"carlzon-demo-answer-{number:05d}",
                raw=read_form(published.survey, form),
                location=place,
                language=language,
            )
        except LinkAlreadyUsed:
            continue  # sent by an earlier demo run
        sent += 1
    return sent
