"""Rules: check a rules text and dry-run it over the stored feedback (no task is written)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from carlzon.actions.checking import check_rules_text, dry_run_text
from carlzon.actions.service import parse_since
from carlzon.web.deps import StoreDep, WideReader
from carlzon.web.schemas import ERRORS

router = APIRouter(tags=["rules"], responses=ERRORS)


class RulesIn(BaseModel):
    yaml: str = Field(max_length=1_000_000, description="A rules file's text (docs/rules.md)")
    since: str | None = Field("30d", max_length=40, description="Dry run: a span (30d, 12h) or a date; '' for all")


@router.post("/rules/validate", summary="Check a rules text; 422 lists every problem with its line and field")
def validate(body: RulesIn, store: StoreDep, _: WideReader) -> dict[str, Any]:
    return check_rules_text(store=store, text=body.yaml)[1].to_dict()


@router.post("/rules/test", summary="Dry-run a rules text over the stored feedback: matches and tasks per rule")
def test(body: RulesIn, store: StoreDep, _: WideReader) -> dict[str, Any]:
    return dry_run_text(store=store, text=body.yaml, since=parse_since(body.since)).to_dict()
