"""POST /api/v1/feedback: the API as a real-time channel, through the same validation,
de-duplication, PII redaction and quarantine as a file import."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator

from carlzon.ingest.intake import MAX_RECORDS, IntakeReport, intake_records
from carlzon.ingest.search import MAX_PAGE, FeedbackFilter, feedback_detail, search_feedback
from carlzon.web.deps import FeedbackWriter, Reader, StoreDep, client_address
from carlzon.web.schemas import ERRORS

router = APIRouter(tags=["feedback"], responses=ERRORS)


class FeedbackIn(BaseModel):
    """One record. Only ``text`` (or a score) and a channel are needed; unknown fields are kept as meta."""

    model_config = {"extra": "allow"}

    text: str | None = Field(None, description="What the customer said (PII is redacted before it is stored)")
    channel: str | None = Field(
        None, description="app_review, call_centre, chat, ecommerce_review, email, social, store, survey, other"
    )
    id: str | None = Field(None, description="Your id of the record: a record sent twice with one id is stored once")
    brand: str | None = None
    customer_id: str | None = None
    store: str | None = None
    created_at: str | None = Field(None, description="ISO 8601; default: when it arrives")
    nps: int | None = Field(None, description="0-10")
    csat: int | None = Field(None, description="1-5")
    ces: int | None = Field(None, description="1-7")
    rating: float | None = Field(None, description="0-5")
    reach: int | None = Field(None, description="Followers or views of a social post")

    @model_validator(mode="after")
    def _not_a_batch(self) -> FeedbackIn:
        """{"records": …} that is not a valid batch is an error, not one odd record."""
        if "records" in (self.model_extra or {}):
            raise ValueError("records: a list of 1 to 1,000 objects, each with a text (or a score) and a channel")
        return self


class FeedbackBatchIn(BaseModel):
    records: list[dict[str, Any]] = Field(
        min_length=1, max_length=MAX_RECORDS, description=f"1 to {MAX_RECORDS} records"
    )
    source: str = Field("api", description="Where the records come from (duplicates are judged per source)")
    channel: str | None = Field(None, description="The channel of records that name none")
    brand: str | None = Field(None, description="The brand of records that name none")


@router.post(
    "/feedback",
    status_code=201,
    response_model=IntakeReport,  # the service's own result type, as the CLI's
    summary="Push one record, a list, or {records, source, channel, brand}",
)
def post_feedback(
    request: Request,
    store: StoreDep,
    principal: FeedbackWriter,
    body: FeedbackIn
    | FeedbackBatchIn
    | Annotated[list[dict[str, Any]], Field(min_length=1, max_length=MAX_RECORDS)] = Body(...),
) -> JSONResponse:
    source, channel, brand = "api", None, None
    if isinstance(body, FeedbackBatchIn):
        records: list[Any] = body.records
        source, channel, brand = body.source, body.channel, body.brand
    elif isinstance(body, FeedbackIn):
        records = [body.model_dump(exclude_none=True)]
    else:
        records = body
    report = intake_records(
        records,
        store=store,
        source=source,
        channel=channel,
        brand=brand,
        actor=principal.actor,
        from_address=client_address(request),
    )
    return JSONResponse(report.to_dict(), status_code=201)


@router.get("/feedback", summary="Stored feedback (redacted), newest first, filtered; a page at a time")
def list_feedback(
    store: StoreDep,
    principal: Reader,
    q: str | None = Query(None, max_length=200, description="Words anywhere in the text, in any script"),
    channel: str | None = Query(None, max_length=32),
    brand: str | None = Query(None, max_length=200),
    store_id: str | None = Query(None, alias="store", max_length=200, description="The store (location)"),
    journey: str | None = Query(None, max_length=64, description="Needed for touchpoint and label"),
    touchpoint: str | None = Query(None, max_length=64),
    label: str | None = Query(None, description="negative, neutral or positive"),
    since: str | None = Query(None, max_length=40, description="A span back from now (30d, 12h, 2w) or a date"),
    until: datetime | None = None,
    before: int | None = Query(None, ge=1, le=2**62, description="The next_before of the page before"),
    limit: int = Query(50, ge=1, le=MAX_PAGE),
) -> dict[str, Any]:
    from carlzon.actions.service import parse_since

    start = parse_since(since)
    where = FeedbackFilter(q, channel, brand, store_id, journey, touchpoint, label, start, until)
    return search_feedback(store=store, principal=principal, where=where, before=before, limit=limit).to_dict()


@router.get("/feedback/{feedback_id}", summary="One record (redacted) with its analysis: sentiment, emotion, mentions")
def get_feedback(
    store: StoreDep,
    principal: Reader,
    feedback_id: Annotated[int, Path(ge=1, le=2**62)],
    journey: str | None = Query(None, max_length=64, description="The journey whose analysis to include"),
) -> dict[str, Any]:
    return feedback_detail(store=store, principal=principal, feedback_id=feedback_id, journey=journey)
