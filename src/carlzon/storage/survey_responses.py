"""Store methods for survey responses: a partial answer saved as the respondent goes, and a sent one
stored with the feedback record it becomes, in one transaction.

Why one transaction for the response, the personal link's use and the feedback record: a
submission is either answered (counted in the results, on its way to analysis and the rules, the
link spent) or not at all; a double click or a second use of a link finds the first one done.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, func, select, update
from sqlalchemy.orm import Session

from carlzon.storage.engine import as_utc
from carlzon.storage.survey_tables import SurveyLinkRow, SurveyResponseRow
from carlzon.storage.tables import FeedbackRow, MentionRow


@dataclass(frozen=True)
class Draft:
    """A response found by its device's draft key: its answers so far and whether it was sent."""

    id: int
    survey_id: str
    answers: dict[str, Any]
    complete: bool
    location: str | None
    language: str


@dataclass(frozen=True)
class LinkState:
    """A personal link: the survey it is for, its customer (hashed), its store, and whether it was used."""

    survey_id: str
    contact: str
    location: str | None
    used: bool


@dataclass(frozen=True)
class AbandonedDraft:
    """A partial response left untouched: what becomes feedback marked partial."""

    id: int
    survey_id: str
    answers: dict[str, Any]
    location: str | None
    language: str
    token_hash: str | None
    updated_at: datetime


class AlreadySent(Exception):
    """The draft was sent before, or the personal link was used (raised inside the transaction,
    which then writes nothing)."""


class SurveyResponsesMixin:
    """Survey-response methods of Store (see store.py)."""

    engine: Engine
    writing: Callable[[], AbstractContextManager[object]]  # Store.writing
    insert_feedback_values: Callable[[Session, list[dict[str, Any]]], int]

    def survey_draft(self, draft_hash: str) -> Draft | None:
        with Session(self.engine) as session:
            row = session.scalar(select(SurveyResponseRow).where(SurveyResponseRow.draft_key == draft_hash))
            if row is None:
                return None
            return Draft(row.id, row.survey_id, row.answers, row.status == "complete", row.location, row.language)

    def survey_link(self, token_hash: str) -> LinkState | None:
        with Session(self.engine) as session:
            row = session.get(SurveyLinkRow, token_hash)
            return None if row is None else LinkState(row.survey_id, row.contact, row.location, row.used_at is not None)

    def save_survey_draft(
        self,
        *,
        survey_id: str,
        version: int,
        draft_hash: str,
        answers: dict[str, Any],
        location: str | None,
        language: str,
        token_hash: str | None,
        now: datetime,
    ) -> bool:
        """Keep the answers so far (a new partial response, or the draft's updated); False when the
        draft was sent already (its answers stay as sent)."""
        with self.writing(), Session(self.engine) as session, session.begin():
            row = session.scalar(select(SurveyResponseRow).where(SurveyResponseRow.draft_key == draft_hash))
            if row is not None and row.status == "complete":
                return False
            if row is None:
                session.add(
                    SurveyResponseRow(
                        survey_id=survey_id,
                        version=version,
                        status="partial",
                        draft_key=draft_hash,
                        token_hash=token_hash,
                        location=location,
                        language=language,
                        answers=answers,
                        started_at=now,
                        updated_at=now,
                    )
                )
            else:
                row.answers, row.updated_at, row.language = answers, now, language
                row.location = row.location or location
            return True

    def complete_survey_response(
        self,
        *,
        survey_id: str,
        version: int,
        draft_hash: str,
        answers: dict[str, Any],
        location: str | None,
        language: str,
        token_hash: str | None,
        record: dict[str, Any],
        now: datetime,
    ) -> tuple[int, int | None]:
        """Store a sent response and its feedback record (``record``: feedback values, its
        external id to be completed with the response id); returns (response id, feedback id).
        Raises AlreadySent when the draft was sent or the link used, writing nothing."""
        with self.writing(), Session(self.engine) as session, session.begin():
            if token_hash is not None:
                spent = session.execute(
                    update(SurveyLinkRow)
                    .where(
                        and_(
                            SurveyLinkRow.token_hash == token_hash,
                            SurveyLinkRow.survey_id == survey_id,
                            SurveyLinkRow.used_at.is_(None),
                        )
                    )
                    .values(used_at=now)
                )
                if spent.rowcount != 1:  # type: ignore[attr-defined]
                    raise AlreadySent(token_hash)
            # Core statements, not ORM objects: this runs for every answer sent (bench/surveys.py).
            table = SurveyResponseRow.__table__
            found = session.execute(
                select(table.c.id, table.c.status, table.c.location).where(table.c.draft_key == draft_hash)
            ).first()
            if found is not None and found.status == "complete":
                raise AlreadySent(draft_hash)
            place = location or (found.location if found is not None else None)
            sent = {
                "status": "complete",
                "answers": answers,
                "updated_at": now,
                "completed_at": now,
                "version": version,
                "language": language,
                "location": place,
            }
            if token_hash is not None:
                sent["token_hash"] = token_hash
            if found is None:
                response_id = session.execute(
                    table.insert()
                    .values(survey_id=survey_id, draft_key=draft_hash, started_at=now, **sent)
                    .returning(table.c.id)
                ).scalar_one()
            else:
                response_id = found.id
                session.execute(table.update().where(table.c.id == response_id).values(**sent))
            values = {**record, "external_id": f"{survey_id}:{response_id}", "location": place}
            _new, feedback_id = self._insert_feedback_id(session, values)
            session.execute(table.update().where(table.c.id == response_id).values(feedback_id=feedback_id))
            return int(response_id), feedback_id

    def survey_responses_frame(self, survey_id: str, *, since: datetime | None = None) -> pd.DataFrame:
        """The survey's responses (partial and complete): id, status, location, language, answers,
        started_at, completed_at, feedback_id."""
        query = select(
            SurveyResponseRow.id,
            SurveyResponseRow.status,
            SurveyResponseRow.location,
            SurveyResponseRow.language,
            SurveyResponseRow.answers,
            SurveyResponseRow.started_at,
            SurveyResponseRow.completed_at,
            SurveyResponseRow.feedback_id,
        ).where(SurveyResponseRow.survey_id == survey_id)
        if since is not None:
            query = query.where(SurveyResponseRow.started_at >= since)
        with Session(self.engine) as session:
            rows = session.execute(query.order_by(SurveyResponseRow.id)).all()
        frame = pd.DataFrame(
            rows,
            columns=[
                "id",
                "status",
                "location",
                "language",
                "answers",
                "started_at",
                "completed_at",
                "feedback_id",
            ],
        )
        for column in ("started_at", "completed_at"):
            frame[column] = [as_utc(v) for v in frame[column]]
        return frame

    def survey_link_counts(self, survey_id: str) -> tuple[int, int]:
        """(personal links issued, used) of a survey: its response rate where links were personal."""
        with Session(self.engine) as session:
            issued, used = session.execute(
                select(func.count(), func.count(SurveyLinkRow.used_at)).where(SurveyLinkRow.survey_id == survey_id)
            ).one()
        return int(issued), int(used)

    def survey_mentions(self, survey_id: str, journey_id: str, *, since: datetime | None = None) -> pd.DataFrame:
        """The touchpoint mentions the analysis found in the survey's sent answers (feedback_id,
        touchpoint_id, sentiment, phrase, location): the open text's themes."""
        query = (
            select(
                MentionRow.feedback_id,
                MentionRow.touchpoint_key.label("touchpoint_id"),
                MentionRow.sentiment,
                MentionRow.phrase,
                SurveyResponseRow.location,
            )
            .join(SurveyResponseRow, SurveyResponseRow.feedback_id == MentionRow.feedback_id)
            .where(SurveyResponseRow.survey_id == survey_id, MentionRow.journey_id == journey_id)
        )
        if since is not None:
            query = query.where(SurveyResponseRow.started_at >= since)
        with Session(self.engine) as session:
            rows = session.execute(query.order_by(MentionRow.id)).all()
        return pd.DataFrame(rows, columns=["feedback_id", "touchpoint_id", "sentiment", "phrase", "location"])

    def abandoned_survey_drafts(self, before: datetime, *, limit: int = 500) -> list[AbandonedDraft]:
        """Partial responses not touched since ``before`` and not yet filed as feedback, oldest first."""
        query = (
            select(SurveyResponseRow)
            .where(
                SurveyResponseRow.status == "partial",
                SurveyResponseRow.feedback_id.is_(None),
                SurveyResponseRow.draft_key.is_not(None),
                SurveyResponseRow.updated_at < before,
            )
            .order_by(SurveyResponseRow.id)
            .limit(limit)
        )
        with Session(self.engine) as session:
            return [
                AbandonedDraft(
                    r.id,
                    r.survey_id,
                    r.answers,
                    r.location,
                    r.language,
                    r.token_hash,
                    as_utc(r.updated_at),  # type: ignore[arg-type]
                )
                for r in session.scalars(query)
            ]

    def file_survey_partials(self, filed: list[tuple[int, dict[str, Any] | None]]) -> int:
        """File abandoned drafts: each (response id, feedback values or None when it holds nothing
        to learn from) in one transaction. The draft's key is let go, so the respondent's device
        starts afresh and a later send is a response of its own. Returns the records written."""
        written = 0
        with self.writing(), Session(self.engine) as session, session.begin():
            for response_id, record in filed:
                row = session.get(SurveyResponseRow, response_id)
                if row is None or row.status != "partial" or row.feedback_id is not None:
                    continue  # sent or filed meanwhile
                row.draft_key = None
                if record is None:
                    continue
                values = {**record, "external_id": f"{row.survey_id}:{row.id}", "location": row.location}
                new, row.feedback_id = self._insert_feedback_id(session, values)
                written += new
        return written

    def _insert_feedback_id(self, session: Session, values: dict[str, Any]) -> tuple[int, int | None]:
        """Insert one feedback record (the import path's insert): (1 if it was new, its id)."""
        new = self.insert_feedback_values(session, [values])
        return new, session.scalar(
            select(FeedbackRow.id).where(
                FeedbackRow.source == values["source"], FeedbackRow.external_id == values["external_id"]
            )
        )
