"""A survey's results: per question and touchpoint, per store, for a period — NPS, CSAT and CES
with intervals that hold their coverage at small n, the RATER gap and Cronbach's α per dimension,
the choices made, the response rate where links were personal, and the open text's themes from
the analysis.

The intervals: NPS by Rocks's adjusted Wald (metrics.scores.nps), CSAT's top-2-box by Wilson,
CES and ratings by Student's t — not the bootstrap, whose percentile interval is too narrow at the
n of one store's week. One result type for the CLI (`carlzon surveys results ID --json`), the web
page and the report.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from carlzon.metrics.scores import csat, mean_interval, nps
from carlzon.metrics.serialise import json_ready
from carlzon.storage.store import Store
from carlzon.surveys.models import Question, Survey
from carlzon.surveys.rater_scores import rater_scores

THEMES = 8  # touchpoints listed among the open text's themes
COMMENTS = 10  # the newest open answers shown
EXAMPLES = 2  # phrases shown per theme


@dataclass(frozen=True)
class QuestionScore:
    """One scored question: its measure (NPS −100..100, CSAT % top-2-box, CES / rating mean)."""

    question: str
    type: str
    touchpoint: str | None
    measure: str
    n: int
    value: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class SurveyResults:
    survey_id: str
    version: int
    status: str
    since: str | None
    location: str | None
    started: int
    completed: int
    completion_rate: float | None
    links_issued: int
    links_used: int
    response_rate: float | None
    scores: list[QuestionScore] = field(default_factory=list)
    by_store: list[dict[str, Any]] = field(default_factory=list)
    choices: dict[str, dict[str, int]] = field(default_factory=dict)
    rater: list[dict[str, Any]] = field(default_factory=list)
    themes: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)  # the newest open answers (redacted)

    def to_dict(self) -> dict[str, Any]:
        return json_ready(asdict(self))


def survey_results(
    store: Store, survey_id: str, *, since: datetime | None = None, location: str | None = None
) -> SurveyResults:
    """The results of ``survey_id`` (its responses since ``since``, at store ``location``)."""
    published = store.get_survey(survey_id)
    survey = published.survey
    frame = store.survey_responses_frame(survey_id, since=since)
    if location is not None:
        frame = frame[frame["location"] == location]
    complete = frame[frame["status"] == "complete"]
    answers = pd.DataFrame(list(complete["answers"]), index=complete.index) if len(complete) else pd.DataFrame()
    issued, used = store.survey_link_counts(survey_id)
    mentions = store.survey_mentions(survey_id, survey.journey, since=since)
    if location is not None:
        mentions = mentions[mentions["location"] == location]
    return SurveyResults(
        survey_id=survey_id,
        version=published.version,
        status=published.status,
        since=since.isoformat() if since else None,
        location=location,
        started=len(frame),
        completed=len(complete),
        completion_rate=round(len(complete) / len(frame), 4) if len(frame) else None,
        links_issued=issued,
        links_used=used,
        response_rate=round(used / issued, 4) if issued else None,
        scores=[score for q in survey.questions if (score := _score(q, answers)) is not None],
        by_store=_by_store(survey, complete, answers),
        choices=_choices(survey, answers),
        rater=_rater(survey, answers),
        themes=_themes(mentions),
        comments=_comments(survey, complete, answers),
    )


def _values(answers: pd.DataFrame, question_id: str) -> list[float]:
    if question_id not in answers:
        return []
    return [
        float(v)
        for v in answers[question_id]
        if isinstance(v, int | float) and not isinstance(v, bool) and not math.isnan(v)  # NaN: not answered
    ]


def _score(question: Question, answers: pd.DataFrame) -> QuestionScore | None:
    if question.type not in ("nps", "csat", "ces", "rating"):
        return None
    values = _values(answers, question.id)
    if question.type == "nps":
        measure, estimate = "NPS", nps(values) if values else None
    elif question.type == "csat":
        measure, estimate = "CSAT % top-2-box", csat(values) if values else None
    else:
        measure, estimate = ("CES mean (1-7)" if question.type == "ces" else "mean rating"), mean_interval(values)
    if estimate is None or not values:
        return QuestionScore(question.id, question.type, question.touchpoint, measure, 0, None, None, None)
    return QuestionScore(
        question.id,
        question.type,
        question.touchpoint,
        measure,
        estimate.n,
        _round(estimate.value),
        _round(estimate.low),
        _round(estimate.high),
    )


def _round(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 2)


def _by_store(survey: Survey, complete: pd.DataFrame, answers: pd.DataFrame) -> list[dict[str, Any]]:
    """Per store: responses and the survey's first NPS and CSAT questions there."""
    if not len(complete):
        return []
    headline = [q for q in survey.questions if q.type in ("nps", "csat")][:2]
    out = []
    places = complete["location"].fillna("")
    for place in sorted(set(places)):
        here = answers[places == place]
        row: dict[str, Any] = {"store": place or None, "responses": int((places == place).sum())}
        for question in headline:
            score = _score(question, here)
            row[question.id] = None if score is None else {"value": score.value, "low": score.low, "high": score.high}
        out.append(row)
    return out


def _choices(survey: Survey, answers: pd.DataFrame) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for question in survey.questions:
        if question.type not in ("single", "multiple") or question.id not in answers:
            continue
        counts = dict.fromkeys((o.id for o in question.options), 0)
        for value in answers[question.id]:
            for chosen in value if isinstance(value, list) else [value]:
                if chosen in counts:
                    counts[chosen] += 1
        out[question.id] = counts
    return out


def _rater(survey: Survey, answers: pd.DataFrame) -> list[dict[str, Any]]:
    """The RATER battery's dimensions (the survey's first rater question)."""
    question = next((q for q in survey.questions if q.type == "rater"), None)
    if question is None or question.id not in answers:
        return []
    items = pd.DataFrame([v for v in answers[question.id] if isinstance(v, dict)])
    if items.empty:
        return []
    rounded = [
        {k: (_round(v) if isinstance(v, float) else v) for k, v in d.to_dict().items()} for d in rater_scores(items)
    ]
    return json_ready(rounded)  # type: ignore[no-any-return]


def _themes(mentions: pd.DataFrame) -> list[dict[str, Any]]:
    """The touchpoints the open answers speak of, most mentioned first, with their mean sentiment."""
    if mentions.empty:
        return []
    out = []
    for touchpoint, group in mentions.groupby("touchpoint_id"):
        negative = group.sort_values("sentiment")
        out.append(
            {
                "touchpoint_id": str(touchpoint),
                "mentions": len(group),
                "negative": int((group["sentiment"] < -0.2).sum()),
                "sentiment": round(float(group["sentiment"].mean()), 3),
                "examples": [str(p) for p in negative["phrase"].head(EXAMPLES)],
            }
        )
    out.sort(key=lambda theme: (-theme["mentions"], theme["sentiment"]))
    return out[:THEMES]


def _comments(survey: Survey, complete: pd.DataFrame, answers: pd.DataFrame) -> list[dict[str, Any]]:
    """The newest open answers, each with its question, store, time and the response's NPS."""
    open_questions = [q.id for q in survey.questions if q.type == "text" and q.id in answers]
    first_nps = next((q.id for q in survey.questions if q.type == "nps" and q.id in answers), None)
    out: list[dict[str, Any]] = []
    for index in reversed(complete.index):
        for question in open_questions:
            text = answers.at[index, question]
            if isinstance(text, str) and text:
                nps_value = answers.at[index, first_nps] if first_nps else None
                out.append(
                    {
                        "question": question,
                        "text": text,
                        "store": complete.at[index, "location"],
                        "sent_at": complete.at[index, "completed_at"].isoformat(),
                        "nps": None if pd.isna(nps_value) else int(nps_value),
                    }
                )
        if len(out) >= COMMENTS:
            break
    return out[:COMMENTS]
