"""The survey tables: published definitions, personal links and responses (one concept, kept
apart from tables.py; the same metadata, so migrations and the schema check see them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from carlzon.storage.tables import Base, UtcDateTime


class SurveyRow(Base):
    """A published survey: its definition as checked (JSON), its version and whether it is open."""

    __tablename__ = "surveys"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    definition: Mapped[dict] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # open | closed
    published_at: Mapped[datetime] = mapped_column(UtcDateTime())
    published_by: Mapped[str] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    source_text: Mapped[str | None] = mapped_column(Text, nullable=True)  # as written: comments and order kept


class SurveyLinkRow(Base):
    """A single-use personal survey link: its token hashed (the link itself is only in the file
    written for the sender), the customer it went to (hashed like every customer id) and when."""

    __tablename__ = "survey_links"
    __table_args__ = (Index("ix_survey_links_contact", "contact", "created_at"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    survey_id: Mapped[str] = mapped_column(String(100), ForeignKey("surveys.id"))
    contact: Mapped[str] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class SurveyResponseRow(Base):
    """One respondent's answers to a survey: partial while they answer (saved as they go, found
    again by the hash of their device's draft key), complete once sent, then the feedback record
    it became. A personal link's token is kept hashed, as in survey_links."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        Index("ix_survey_responses_survey", "survey_id", "status", "completed_at"),
        Index("ix_survey_responses_draft", "draft_key", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    survey_id: Mapped[str] = mapped_column(String(100), ForeignKey("surveys.id"))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # partial | complete
    draft_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    location: Mapped[str | None] = mapped_column(String(200), nullable=True)
    language: Mapped[str] = mapped_column(String(16))
    answers: Mapped[dict] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    feedback_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
