"""The Store: typed reads and writes. The only module that builds SQL statements.

Services take ``store: Store`` as a keyword-only argument; nothing else touches a session.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from carlzon.config import Settings
from carlzon.errors import ConfigError, NotFoundError, StorageError
from carlzon.ingest.models import FeedbackRecord
from carlzon.journeys.models import Journey
from carlzon.mot.models import Improvement
from carlzon.privacy.policy import Privacy
from carlzon.privacy.redact import redact
from carlzon.storage import migrate
from carlzon.storage.accounts import AccountsMixin
from carlzon.storage.actions import ActionsMixin
from carlzon.storage.aggregates import AggregatesMixin, SearchMixin
from carlzon.storage.analyses import AnalysesMixin
from carlzon.storage.conversations import ConversationsMixin
from carlzon.storage.engine import as_utc, make_engine
from carlzon.storage.imports import ImportsMixin
from carlzon.storage.jobs import JobsMixin
from carlzon.storage.outbox import OutboxMixin
from carlzon.storage.survey_responses import SurveyResponsesMixin
from carlzon.storage.surveys import SurveysMixin
from carlzon.storage.tables import (
    AnalysisRow,
    FeedbackRow,
    ImprovementRow,
    JourneyRow,
    MentionRow,
    StageRow,
    TouchpointRow,
)
from carlzon.storage.tasks import RecoveryMixin, TasksMixin
from carlzon.storage.workspace import WorkspaceMixin

_BATCH = 1000


@dataclass(frozen=True)
class AddFeedbackResult:
    """How many records were new and how many were already stored (same source + external id)."""

    inserted: int
    duplicates: int


class Store(
    ImportsMixin,
    AnalysesMixin,
    AggregatesMixin,
    ActionsMixin,
    TasksMixin,
    RecoveryMixin,
    OutboxMixin,
    WorkspaceMixin,
    AccountsMixin,
    JobsMixin,
    SearchMixin,
    ConversationsMixin,
    SurveysMixin,
    SurveyResponsesMixin,
):
    """Carlzon's database, on SQLite or PostgreSQL, chosen by the URL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._write_lock = threading.Lock()

    def writing(self) -> AbstractContextManager[object]:
        """Held around a short write transaction by code that writes from many threads (the web
        server). SQLite has one writer at a time and its busy handler sleeps between retries
        (10, 25, 50 ms …): queueing the writers of this process on a lock instead keeps each wait as
        short as the transaction ahead of it. PostgreSQL needs no such queue."""
        return self._write_lock if self.dialect == "sqlite" else nullcontext()

    @classmethod
    def from_url(cls, url: str, *, busy_timeout: float = 30.0) -> Store:
        """A store on ``url``; nothing connects until the first call. ``busy_timeout``: seconds a
        SQLite writer waits for another before the database counts as busy."""
        return cls(make_engine(url, busy_timeout))

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        """A store on the settings' database (the workspace SQLite file by default), with their privacy policy."""
        store = cls.from_url(settings.resolved_database_url, busy_timeout=settings.sqlite_busy_timeout)
        if settings.privacy_key is not None:
            store.privacy_key = settings.privacy_key.get_secret_value().encode("utf-8")
        store.keep_raw_customer_ids = settings.customer_ids == "raw"
        return store

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    def upgrade(self) -> str | None:
        """Create or migrate the schema to the newest revision (and the SQLite file's folder)."""
        sqlite_file = self._sqlite_file()
        if sqlite_file is not None:
            try:
                sqlite_file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigError(f"cannot create the workspace folder {sqlite_file.parent}: {exc.strerror}") from exc
        try:
            return migrate.upgrade(self.engine)
        except OperationalError as exc:
            raise StorageError(f"cannot reach the database {self.engine.url!r}: {exc.orig}") from exc

    def is_initialised(self) -> bool:
        """True when the database exists and has been migrated (never creates a SQLite file)."""
        sqlite_file = self._sqlite_file()
        if sqlite_file is not None and not sqlite_file.exists():
            return False
        try:
            return migrate.current_revision(self.engine) is not None
        except OperationalError as exc:
            raise StorageError(f"cannot reach the database {self.engine.url!r}: {exc.orig}") from exc

    def check_schema(self) -> None:
        """Raise StorageError (run: carlzon db upgrade) when the schema is not current; a SQLite
        file that does not exist is said without creating it."""
        sqlite_file = self._sqlite_file()
        if sqlite_file is not None and not sqlite_file.exists():
            raise StorageError(
                f"there is no Carlzon database at {sqlite_file}; check --workspace, or create one with: "
                "carlzon db upgrade (or carlzon demo)"
            )
        try:
            migrate.require_current(self.engine)
        except OperationalError as exc:
            raise StorageError(f"cannot reach the database {self.engine.url!r}: {exc.orig}") from exc

    def _sqlite_file(self) -> Path | None:
        """The SQLite database file, or None (PostgreSQL, or SQLite in memory)."""
        database = self.engine.url.database
        if self.dialect != "sqlite" or database in (None, "", ":memory:"):
            return None
        return Path(str(database))

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    # -- journeys ---------------------------------------------------------------------------

    def save_journey(self, journey: Journey) -> None:
        """Insert or replace a journey with its stages and touchpoints."""
        with Session(self.engine) as session, session.begin():
            session.execute(delete(TouchpointRow).where(TouchpointRow.journey_id == journey.id))
            session.execute(delete(StageRow).where(StageRow.journey_id == journey.id))
            row = session.get(JourneyRow, journey.id) or JourneyRow(id=journey.id)
            row.name_zh, row.name_en = journey.name.zh, journey.name.en
            row.industry = journey.industry
            row.definition = journey.model_dump(mode="json")
            row.updated_at = datetime.now(UTC)
            session.add(row)
            session.flush()
            position = 0
            for s_index, stage in enumerate(journey.stages):
                stage_row = StageRow(
                    journey_id=journey.id,
                    stage_key=stage.id,
                    position=s_index,
                    name_zh=stage.name.zh,
                    name_en=stage.name.en,
                    phase=stage.phase.value,
                )
                session.add(stage_row)
                session.flush()
                for tp in stage.touchpoints:
                    session.add(
                        TouchpointRow(
                            journey_id=journey.id,
                            stage_id=stage_row.id,
                            touchpoint_key=tp.id,
                            position=position,
                            name_zh=tp.name.zh,
                            name_en=tp.name.en,
                            owner=tp.owner,
                            moment=tp.moment.value,
                            promise=tp.promise,
                            cost=tp.cost,
                            taxonomy={
                                "keywords": tp.keywords.model_dump(),
                                "examples": tp.examples.model_dump(),
                            },
                        )
                    )
                    position += 1

    def get_journey(self, journey_id: str) -> Journey:
        """A stored journey, or NotFoundError naming the ones stored."""
        with Session(self.engine) as session:
            row = session.get(JourneyRow, journey_id)
            if row is None:
                known = ", ".join(self.list_journey_ids()) or "none yet"
                raise NotFoundError(
                    f"no journey '{journey_id}' in the database (stored: {known}); "
                    "load one with: carlzon journeys load TEMPLATE_OR_FILE"
                )
            return Journey.model_validate(row.definition)

    def list_journey_ids(self) -> list[str]:
        """Ids of every stored journey, sorted."""
        with Session(self.engine) as session:
            return list(session.scalars(select(JourneyRow.id).order_by(JourneyRow.id)))

    def count_touchpoints(self, journey_id: str) -> int:
        """How many touchpoint rows a journey has."""
        with Session(self.engine) as session:
            query = select(func.count()).select_from(TouchpointRow).where(TouchpointRow.journey_id == journey_id)
            return int(session.scalar(query) or 0)

    # -- feedback ---------------------------------------------------------------------------

    def add_feedback(self, records: Iterable[FeedbackRecord]) -> AddFeedbackResult:
        """Store new records in batches; a (source, external_id) already stored is a duplicate.

        The workspace's privacy policy applies here as in an import: text and meta redacted,
        customer ids hashed.
        """
        privacy = self.privacy()
        inserted = duplicates = 0
        batch: list[FeedbackRecord] = []
        for record in records:
            batch.append(record)
            if len(batch) >= _BATCH:
                new, dup = self._insert_feedback_batch(batch, privacy)
                inserted, duplicates, batch = inserted + new, duplicates + dup, []
        if batch:
            new, dup = self._insert_feedback_batch(batch, privacy)
            inserted, duplicates = inserted + new, duplicates + dup
        return AddFeedbackResult(inserted=inserted, duplicates=duplicates)

    def _insert_feedback_batch(self, batch: list[FeedbackRecord], privacy: Privacy) -> tuple[int, int]:
        rows = [
            record.model_dump(mode="python")
            | {
                "channel": record.channel.value,
                "created_at": as_utc(record.created_at),
                "text": redact(record.text),
                "meta": privacy.meta(record.meta),
                "customer_id": privacy.customer(record.customer_id),
            }
            for record in batch
        ]
        with Session(self.engine) as session, session.begin():
            inserted = self.insert_feedback_values(session, rows)
        return inserted, len(batch) - inserted

    def count_feedback(self) -> int:
        """How many feedback records are stored."""
        with Session(self.engine) as session:
            return int(session.scalar(select(func.count()).select_from(FeedbackRow)) or 0)

    def newest_feedback_at(self) -> datetime | None:
        """When the most recent stored record was created (None: no dated feedback)."""
        with Session(self.engine) as session:
            return as_utc(session.scalar(select(func.max(FeedbackRow.created_at))))

    def feedback_frame(self) -> pd.DataFrame:
        """Every stored feedback record as a DataFrame (column ``feedback_id`` is the key)."""
        columns = [c for c in FeedbackRow.__table__.columns]
        query = select(*columns)
        with self.engine.connect() as connection:
            frame = pd.read_sql(query, connection)
        frame = frame.rename(columns={"id": "feedback_id"})
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
        return frame

    # -- analysis ---------------------------------------------------------------------------

    def analysis_frame(self, journey_id: str) -> pd.DataFrame:
        """Feedback joined to its analysis for one journey."""
        query = (
            select(
                FeedbackRow.id.label("feedback_id"),
                FeedbackRow.channel,
                FeedbackRow.brand,
                FeedbackRow.location,
                FeedbackRow.created_at,
                FeedbackRow.text,
                FeedbackRow.nps,
                FeedbackRow.csat,
                FeedbackRow.ces,
                FeedbackRow.rating,
                AnalysisRow.language,
                AnalysisRow.sentiment,
                AnalysisRow.label,
                AnalysisRow.emotion,
            )
            .join(AnalysisRow, AnalysisRow.feedback_id == FeedbackRow.id)
            .where(AnalysisRow.journey_id == journey_id)
            .order_by(FeedbackRow.id)
        )
        return self._frame(query)

    def mentions_frame(self, journey_id: str) -> pd.DataFrame:
        """Touchpoint mentions of one journey with the brand, channel, NPS and date of their feedback."""
        query = (
            select(
                MentionRow.feedback_id,
                MentionRow.touchpoint_key.label("touchpoint_id"),
                MentionRow.sentiment,
                MentionRow.phrase,
                MentionRow.emotion,
                FeedbackRow.brand,
                FeedbackRow.channel,
                FeedbackRow.location,
                FeedbackRow.nps,
                FeedbackRow.created_at,
                FeedbackRow.text,
            )
            .join(FeedbackRow, FeedbackRow.id == MentionRow.feedback_id)
            .where(MentionRow.journey_id == journey_id)
            .order_by(MentionRow.id)
        )
        return self._frame(query)

    def _frame(self, query) -> pd.DataFrame:  # type: ignore[no-untyped-def]
        with self.engine.connect() as connection:
            frame = pd.read_sql(query, connection)
        if "created_at" in frame:
            frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
        return frame

    # -- improvements -----------------------------------------------------------------------

    def add_improvement(self, improvement: Improvement) -> Improvement:
        """Record an improvement; returns it with its id."""
        with Session(self.engine) as session, session.begin():
            row = ImprovementRow(
                journey_id=improvement.journey_id,
                touchpoint_key=improvement.touchpoint_id,
                brand=improvement.brand,
                started_on=as_utc(improvement.started_on),
                description=improvement.description,
                cost=improvement.cost,
                locations=list(improvement.locations),
                created_at=datetime.now(UTC),
            )
            session.add(row)
            session.flush()
            return improvement.model_copy(update={"id": row.id})

    def list_improvements(self, journey_id: str | None = None) -> list[Improvement]:
        """Recorded improvements, oldest first."""
        query = select(ImprovementRow).order_by(ImprovementRow.id)
        if journey_id is not None:
            query = query.where(ImprovementRow.journey_id == journey_id)
        with Session(self.engine) as session:
            return [
                Improvement(
                    id=row.id,
                    journey_id=row.journey_id,
                    touchpoint_id=row.touchpoint_key,
                    brand=row.brand,
                    started_on=as_utc(row.started_on),
                    description=row.description,
                    cost=row.cost,
                    locations=row.locations,
                )
                for row in session.scalars(query)
            ]
