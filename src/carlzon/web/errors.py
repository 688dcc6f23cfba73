"""The one place a CarlzonError becomes an HTTP status, as one JSON shape for the API and a page
(or the sign-in page) for a browser."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from carlzon.errors import (
    AnalysisError,
    AuthenticationError,
    CarlzonError,
    ConfigError,
    InputError,
    JourneyFileError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    StateError,
    StorageError,
    YamlFileError,
)

STATUS: dict[type[CarlzonError], int] = {
    AuthenticationError: 401,
    PermissionDeniedError: 403,
    NotFoundError: 404,
    AnalysisError: 409,  # the data is not ready for this yet (e.g. not analysed)
    StateError: 409,  # before InputError: the more specific class is looked up first
    InputError: 422,
    RateLimitedError: 429,
    ConfigError: 500,
    StorageError: 503,
}
CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def status_of(exc: CarlzonError) -> int:
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]  # type: ignore[index]
    return 400


def error_body(status: int, message: str, *, details: list[Any] | None = None) -> dict[str, Any]:
    """The API's one error shape: ``{"error": {"status", "code", "message", "details"?}}``."""
    body: dict[str, Any] = {"status": status, "code": CODES.get(status, "error"), "message": message}
    if details:
        body["details"] = details
    return {"error": body}


def wants_page(request: Request) -> bool:
    """A browser asking for a page (not the API): errors become pages or a redirect to sign in."""
    return not request.url.path.startswith("/api/")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CarlzonError)
    async def carlzon_error(request: Request, exc: CarlzonError) -> Response:
        status = status_of(exc)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimitedError) else None
        if status == 401 and wants_page(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
        if wants_page(request):
            from carlzon.web.pages.render import error_page

            return error_page(request, status, str(exc), headers=headers)
        details = None
        if isinstance(exc, JourneyFileError | YamlFileError):  # every problem, each with its line and field
            details = [{"line": line, "field": field, "message": problem} for line, field, problem in exc.problems]
        return JSONResponse(error_body(status, str(exc), details=details), status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"loc": [str(part) for part in error.get("loc", ())], "message": error.get("msg", "")}
            for error in exc.errors()
        ]
        first = details[0] if details else {"loc": [], "message": "invalid request"}
        message = f"{'.'.join(first['loc'])}: {first['message']}" if first["loc"] else first["message"]
        if wants_page(request):
            from carlzon.web.pages.render import error_page

            return error_page(request, 422, message)
        return JSONResponse(error_body(422, message, details=details), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail) if exc.detail else CODES.get(exc.status_code, "error")
        if wants_page(request):
            from carlzon.web.pages.render import error_page

            return error_page(request, exc.status_code, message)
        return JSONResponse(error_body(exc.status_code, message), status_code=exc.status_code)
