"""Store methods for surveys: publish (a new version only when the definition changed), list, close."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from carlzon.errors import NotFoundError, StateError
from carlzon.storage.engine import as_utc
from carlzon.storage.survey_tables import SurveyLinkRow, SurveyRow
from carlzon.surveys.models import PublishedSurvey, Survey


def _published(row: SurveyRow) -> PublishedSurvey:
    return PublishedSurvey(
        survey=Survey.model_validate(row.definition),
        version=row.version,
        status=row.status,  # type: ignore[arg-type]
        published_at=as_utc(row.published_at),  # type: ignore[arg-type]
        published_by=row.published_by,
        closed_at=as_utc(row.closed_at),
        source_text=row.source_text,
    )


class SurveysMixin:
    """Survey methods of Store (see store.py)."""

    engine: Engine
    writing: Callable[[], AbstractContextManager[object]]  # Store.writing

    def publish_survey(
        self, survey: Survey, *, actor: str, source_text: str | None = None
    ) -> tuple[PublishedSurvey, bool]:
        """Store ``survey`` open for answers; returns it and whether anything changed (publishing
        the same definition again is a no-op; a changed one is the next version; a closed survey
        is opened again only by publishing it)."""
        definition = survey.model_dump(mode="json", by_alias=True, exclude_none=True)
        now = datetime.now(UTC)
        with self.writing(), Session(self.engine) as session, session.begin():
            row = session.get(SurveyRow, survey.id)
            if row is None:
                row = SurveyRow(
                    id=survey.id,
                    definition=definition,
                    version=1,
                    status="open",
                    published_at=now,
                    published_by=actor,
                    source_text=source_text,
                )
                session.add(row)
                changed = True
            else:
                changed = row.definition != definition or row.status != "open"
                if changed:
                    row.version += row.definition != definition
                    row.definition, row.status, row.published_at = definition, "open", now
                    row.published_by, row.closed_at = actor, None
                if source_text is not None:
                    row.source_text = source_text  # the same definition in a re-commented file: its words
            session.flush()
            return _published(row), changed

    def list_surveys(self) -> list[PublishedSurvey]:
        with Session(self.engine) as session:
            return [_published(row) for row in session.scalars(select(SurveyRow).order_by(SurveyRow.id))]

    def get_survey(self, survey_id: str) -> PublishedSurvey:
        with Session(self.engine) as session:
            row = session.get(SurveyRow, survey_id)
            if row is None:
                raise NotFoundError(f"no survey '{survey_id}'; see carlzon surveys list")
            return _published(row)

    def survey_state(self, survey_id: str) -> tuple[int, str] | None:
        """(version, status) of a survey, None when there is none: what the public page checks on
        every request (the definition itself is read again only when these change)."""
        with self.engine.connect() as connection:  # no ORM session: every survey page asks this
            row = connection.execute(
                select(SurveyRow.version, SurveyRow.status).where(SurveyRow.id == survey_id)
            ).first()
        return None if row is None else (int(row[0]), str(row[1]))

    def close_survey(self, survey_id: str) -> PublishedSurvey:
        """Stop taking answers (what was answered stays); closing a closed survey is an error that says so."""
        with self.writing(), Session(self.engine) as session, session.begin():
            row = session.get(SurveyRow, survey_id)
            if row is None:
                raise NotFoundError(f"no survey '{survey_id}'; see carlzon surveys list")
            if row.status == "closed":
                raise StateError(f"survey '{survey_id}' is already closed; publish it again to reopen it")
            row.status, row.closed_at = "closed", datetime.now(UTC)
            session.flush()
            return _published(row)

    def recently_asked(self, contacts: list[str], since: datetime) -> set[str]:
        """Which of ``contacts`` (hashed customer ids) were sent a survey link since ``since``, by any survey."""
        found: set[str] = set()
        with Session(self.engine) as session:
            for start in range(0, len(contacts), 1000):
                query = select(SurveyLinkRow.contact).where(
                    SurveyLinkRow.contact.in_(contacts[start : start + 1000]), SurveyLinkRow.created_at >= since
                )
                found |= set(session.scalars(query))
        return found

    def add_survey_links(self, survey_id: str, links: list[tuple[str, str, str | None]], now: datetime) -> None:
        """Record issued links: (token hash, contact, store) each, in one transaction."""
        if not links:
            return
        with self.writing(), Session(self.engine) as session, session.begin():
            session.execute(
                SurveyLinkRow.__table__.insert(),
                [
                    {"token_hash": t, "survey_id": survey_id, "contact": c, "location": s, "created_at": now}
                    for t, c, s in links
                ],
            )
