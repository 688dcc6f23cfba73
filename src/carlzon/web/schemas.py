"""Shapes the API documents beside its own results: the one error body (web/errors.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorOut(BaseModel):
    """``{"error": {"status", "code", "message", "details"?}}``: every error the API returns."""

    error: ErrorDetail


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


ERRORS: dict[int | str, dict[str, Any]] = {
    401: _error("No valid credentials (no token, or a revoked or expired one)"),
    403: _error("The role or the token's scopes do not allow this (or another department's task)"),
    404: _error("No such journey, task or record"),
    409: _error("Not possible in the current state (a task move from where it is; data not analysed yet)"),
    422: _error("The request is invalid; details say which field"),
    429: _error("Too many attempts; Retry-After says when to try again"),
}
