"""SQLAlchemy 2 declarative tables. Only ``storage`` imports this module.

Why keep the whole journey as JSON beside the normalised stage/touchpoint rows: the rows let
SQL join feedback to owners and stages; the JSON keeps the taxonomy exactly as the user wrote
it, so a journey round-trips without loss.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """A date-time written in UTC. SQLite keeps no zone: an aware time in another zone (a
    calendar's local time) would be stored as its wall clock and read back hours off."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None or value.tzinfo is None:
            return value
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base for every Carlzon table."""


class JourneyRow(Base):
    __tablename__ = "journeys"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class StageRow(Base):
    __tablename__ = "stages"
    __table_args__ = (UniqueConstraint("journey_id", "stage_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    stage_key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(16))


class TouchpointRow(Base):
    __tablename__ = "touchpoints"
    __table_args__ = (UniqueConstraint("journey_id", "touchpoint_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"))
    touchpoint_key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200))
    moment: Mapped[str] = mapped_column(String(16))
    promise: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[float | None] = mapped_column(Float, nullable=True)
    taxonomy: Mapped[dict] = mapped_column(JSON)


class FeedbackRow(Base):
    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_feedback_source_external_id"),
        Index("ix_feedback_created_at", "created_at"),
        Index("ix_feedback_brand", "brand"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(200))
    external_id: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(32))
    brand: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    location: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    nps: Mapped[int | None] = mapped_column(Integer, nullable=True)
    csat: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ces: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rating: Mapped[float | None] = mapped_column(Float, nullable=True)
    reach: Mapped[int | None] = mapped_column(Integer, nullable=True)
    meta: Mapped[dict] = mapped_column(JSON, default=dict)


class AnalysisRow(Base):
    __tablename__ = "analysis_results"
    __table_args__ = (
        UniqueConstraint("feedback_id", "journey_id"),
        Index("ix_analysis_journey_version_run", "journey_id", "version", "run_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"))
    journey_id: Mapped[str] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(16))
    normalised: Mapped[str] = mapped_column(Text)
    # NULL for a record without text (a score alone): it has no sentiment to average.
    sentiment: Mapped[float | None] = mapped_column(Float, nullable=True)
    label: Mapped[str | None] = mapped_column(String(16), nullable=True)
    emotion: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # analysis.severity: 3 critical, 2 high, 0 none; NULL until assessed (records analysed before 0009)
    text_severity: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    analysed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    version: Mapped[str] = mapped_column(String(64), default="", server_default="")
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class MentionRow(Base):
    __tablename__ = "touchpoint_mentions"
    __table_args__ = (
        Index("ix_mentions_journey_touchpoint", "journey_id", "touchpoint_key"),
        Index("ix_mentions_journey_feedback", "journey_id", "feedback_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"))
    journey_id: Mapped[str] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    touchpoint_key: Mapped[str] = mapped_column(String(64))
    sentiment: Mapped[float] = mapped_column(Float)
    phrase: Mapped[str] = mapped_column(Text)
    emotion: Mapped[str] = mapped_column(String(16), default="neutral", server_default="neutral")
    point: Mapped[str] = mapped_column(Text, default="", server_default="")


class TaskRow(Base):
    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_rule_dedupe", "rule_id", "dedupe_key", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    touchpoint_key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(String(200))
    priority: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    rule_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    assignee: Mapped[str | None] = mapped_column(String(200), nullable=True)
    customer_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    location: Mapped[str | None] = mapped_column(String(200), nullable=True)
    severity: Mapped[str | None] = mapped_column(String(16), nullable=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(500), nullable=True)
    first_response_due: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    recovery: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    contacted_back: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    recovery_outcome: Mapped[str | None] = mapped_column(Text, nullable=True)
    tags: Mapped[list | None] = mapped_column(JSON, nullable=True)
    first_response_target_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    resolution_target_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    improvement_id: Mapped[int | None] = mapped_column(
        ForeignKey("improvements.id", ondelete="SET NULL", name="fk_tasks_improvement"), nullable=True
    )


class TaskEscalationRow(Base):
    """An escalation step taken: the primary key makes it at most once per task and step."""

    __tablename__ = "task_escalations"

    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True)
    step: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    escalated_to: Mapped[str] = mapped_column(String(200))


class NoticeRow(Base):
    """The transactional outbox: a notice is written in the transaction that made its task (or
    escalation), and the worker delivers it at least once. ``msg_id`` is the receiver's
    idempotency key (the webhook-id header), the same on every retry."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    msg_id: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(100))
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class DeliveryAttemptRow(Base):
    """Every attempt to deliver a notice, successful or not."""

    __tablename__ = "delivery_attempts"
    __table_args__ = (
        Index("ix_delivery_attempts_notice", "notice_id", "id"),
        Index("ix_delivery_attempts_channel", "channel", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    ok: Mapped[bool] = mapped_column(Boolean)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    duration_ms: Mapped[float] = mapped_column(Float)
    digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class EndpointStateRow(Base):
    """A channel disabled by its receiver (HTTP 410) or paused (429 and Retry-After)."""

    __tablename__ = "endpoint_state"

    channel: Mapped[str] = mapped_column(String(100), primary_key=True)
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    paused_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class TaskFeedbackRow(Base):
    """The feedback behind a task: the record that opened it and the matches that joined it."""

    __tablename__ = "task_feedback"

    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True)
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime())


class TaskEventRow(Base):
    """A task's audit trail: who did what, when."""

    __tablename__ = "task_events"
    __table_args__ = (Index("ix_task_events_task", "task_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class RuleCursorRow(Base):
    """The last feedback id a rule has been applied to: the next run reads only newer records."""

    __tablename__ = "rule_cursors"

    journey_id: Mapped[str] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_feedback_id: Mapped[int] = mapped_column(Integer)


class AnalysisFitRow(Base):
    """What the analysis learnt from a sample of the stored feedback (self-training), shared by the
    runs of one journey and analysis version so that a record analysed later reads the same way."""

    __tablename__ = "analysis_fits"
    __table_args__ = (Index("ix_analysis_fits_journey_version", "journey_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(64))
    state: Mapped[bytes] = mapped_column(LargeBinary)
    sample_ids: Mapped[list] = mapped_column(JSON)
    records: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AnalysisRunRow(Base):
    """One `carlzon analyze`: which version it writes, its fit, and its running counts (for resume)."""

    __tablename__ = "analysis_runs"
    __table_args__ = (Index("ix_analysis_runs_journey_status", "journey_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(64))
    redo_all: Mapped[bool] = mapped_column(Boolean)
    options: Mapped[dict] = mapped_column(JSON)
    fit_id: Mapped[int | None] = mapped_column(ForeignKey("analysis_fits.id", ondelete="SET NULL"), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    to_analyse: Mapped[int] = mapped_column(Integer, default=0)
    analysed: Mapped[int] = mapped_column(Integer, default=0)
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    untagged: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class AnalysisTotalRow(Base):
    """Running totals of a journey's analysis per touchpoint and brand (``touchpoint_key`` '' holds the
    brand's analysed records): kept by each chunk's commit, read by the journey map and the ranking."""

    __tablename__ = "analysis_totals"

    journey_id: Mapped[str] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"), primary_key=True)
    touchpoint_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    brand: Mapped[str] = mapped_column(String(200), primary_key=True)
    records: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    mentions: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    total_e4: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")  # sum of sentiment × 10^4
    squares_e8: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")  # sum of its squares × 10^8
    negative: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    positive: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    poor: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    neutral: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    happy: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    surprised: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    nps_n: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    promoters: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    detractors: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class AnalysisTopicsRow(Base):
    """The emerging topics of one brand, as an analysis run of the journey left them."""

    __tablename__ = "analysis_topics"
    __table_args__ = (Index("ix_analysis_topics_journey_brand", "journey_id", "brand", "run_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    brand: Mapped[str] = mapped_column(String(200))
    run_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[str] = mapped_column(String(64))  # the analysis version they were found under
    analysed: Mapped[int] = mapped_column(BigInteger)  # the brand's analysed records when they were found
    topics: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ImportRunRow(Base):
    """One import of one file: its progress checkpoint and running counts (for resume)."""

    __tablename__ = "import_runs"
    __table_args__ = (Index("ix_import_runs_source_fingerprint", "source", "fingerprint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(128))
    options: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class QuarantineRow(Base):
    """A row that could not be imported, with where it came from, why, and the raw values."""

    __tablename__ = "quarantine"
    __table_args__ = (Index("ix_quarantine_status", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("import_runs.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(200))
    row_number: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ImprovementRow(Base):
    """A change made at a touchpoint, to be reviewed (复盘) against the numbers before it."""

    __tablename__ = "improvements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(ForeignKey("journeys.id", ondelete="CASCADE"))
    touchpoint_key: Mapped[str] = mapped_column(String(64))
    brand: Mapped[str] = mapped_column(String(200))
    started_on: Mapped[datetime] = mapped_column(UtcDateTime())
    description: Mapped[str] = mapped_column(Text)
    cost: Mapped[float | None] = mapped_column(Float, nullable=True)
    locations: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class WorkspaceMetaRow(Base):
    """A fact about the workspace kept with its data (the privacy key and its fingerprint)."""

    __tablename__ = "workspace_meta"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class UserRow(Base):
    """A person who signs in to the web app or owns API tokens. Only a password's argon2 hash is kept."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    role: Mapped[str] = mapped_column(String(16))
    department: Mapped[str | None] = mapped_column(String(200), nullable=True)
    display_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    language: Mapped[str | None] = mapped_column(String(16), nullable=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ApiTokenRow(Base):
    """An API token: the SHA-256 of its secret (a random 256-bit value needs no slow hash) and the
    prefix shown to tell tokens apart."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class WebSessionRow(Base):
    """A signed-in browser: the SHA-256 of its cookie and the CSRF token its forms carry."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LoginAttemptRow(Base):
    """Every sign-in attempt, for the rate limit (per user name and per address)."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_user", "username", "at"),
        Index("ix_login_attempts_source", "source", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(120))
    source: Mapped[str | None] = mapped_column(String(100), nullable=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class AuditRow(Base):
    """The append-only audit log: every change, who made it, when and from where. Triggers refuse
    UPDATE and DELETE (migration 0013). Never holds a password or a token's secret."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(200), nullable=True)
    source: Mapped[str | None] = mapped_column(String(100), nullable=True)
    detail: Mapped[dict] = mapped_column(JSON)


class JobRow(Base):
    """Long work started from the web app (an uploaded file's import), run by its own process so
    no request waits for it; the page reads its progress from here."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_created", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    params: Mapped[dict] = mapped_column(JSON)
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    done: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    total: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class ConversationRow(Base):
    """A service conversation (call, chat, social reply) with its QA reading. Its customer's words
    are also a feedback record with the same source and external id, which is how analysis, rules
    and the customer's other feedback reach it; the turns here are redacted like any text."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_conversations_source_external"),
        Index("ix_conversations_started", "started_at"),
        Index("ix_conversations_agent", "agent"),
        Index("ix_conversations_team", "team"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(200))
    external_id: Mapped[str] = mapped_column(String(200))
    agent: Mapped[str | None] = mapped_column(String(200), nullable=True)
    team: Mapped[str | None] = mapped_column(String(200), nullable=True)
    channel: Mapped[str] = mapped_column(String(32))
    location: Mapped[str | None] = mapped_column(String(200), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    turns: Mapped[list] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    steps: Mapped[list] = mapped_column(JSON)
    missing: Mapped[list] = mapped_column(JSON)
    behaviours: Mapped[list] = mapped_column(JSON)
    reasons: Mapped[list] = mapped_column(JSON)
    solved: Mapped[bool] = mapped_column(Boolean)
    communication: Mapped[dict] = mapped_column(JSON)
    appearance: Mapped[str | None] = mapped_column(String(200), nullable=True)  # a store audit's, when mapped
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())
