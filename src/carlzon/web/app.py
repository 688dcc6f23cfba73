"""create_app(settings): the FastAPI app, built from settings; nothing connects at import time,
and each test builds its own."""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response

from carlzon import __version__
from carlzon.config import Settings, load_settings
from carlzon.errors import ConfigError
from carlzon.storage.store import Store
from carlzon.web.errors import install_error_handlers

STATIC = Path(__file__).parent / "static"
OPENAPI_URL = "/api/v1/openapi.json"


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """The web app and the API on the settings' database (checked current at start-up)."""
    settings = settings or load_settings()
    store = store or Store.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store.check_schema()
        # Sync routes run in a thread pool (anyio's default: 40 threads). Their work is short
        # database transactions, which SQLite runs one at a time: a few threads keep the core busy,
        # forty only contend for the GIL and the write lock (bench/RESULTS.md, web).
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.web_threads
        yield
        store.dispose()

    app = FastAPI(
        title="Carlzon API",
        version=__version__,
        description="Customer experience management around Moments of Truth. Authenticate with "
        "`Authorization: Bearer czt_…` (carlzon tokens create) or a signed-in browser session.",
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    # Pages and JSON over 1 KB gzipped: the survey page (its RATER battery is ~29 KB of HTML) is
    # opened on phones on slow networks; the short answers (the thank-you page) are not worth it.
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    install_error_handlers(app)

    from carlzon.web import api, pages

    # Each router on the app itself: every level of nesting is matched again on every request.
    for router in api.ROUTERS:
        app.include_router(router, prefix=api.PREFIX)
    for router in pages.ROUTERS:
        app.include_router(router, include_in_schema=False)
    _static_routes(app)
    return app


def _static_routes(app: FastAPI) -> None:
    """Our stylesheet, plotly.js from the installed plotly package and Swagger UI from the installed
    swagger-ui-py package: the pages work offline and load nothing from a CDN."""
    plotly_js = _package_file("plotly", "package_data", "plotly.min.js")
    swagger = _package_file("swagger_ui", "static")

    @app.get("/static/carlzon.css", include_in_schema=False)
    def stylesheet() -> Response:
        return FileResponse(STATIC / "carlzon.css", media_type="text/css")

    @app.get("/static/survey.css", include_in_schema=False)
    def survey_stylesheet() -> Response:
        return FileResponse(STATIC / "survey.css", media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    @app.get("/static/survey.js", include_in_schema=False)
    def survey_script() -> Response:
        return FileResponse(
            STATIC / "survey.js", media_type="text/javascript", headers={"Cache-Control": "max-age=3600"}
        )

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly() -> Response:
        return FileResponse(plotly_js, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    @app.get("/static/swagger/{name}", include_in_schema=False)
    def swagger_file(name: str) -> Response:
        if name not in ("swagger-ui-bundle.js", "swagger-ui.css"):
            return Response(status_code=404)
        return FileResponse(swagger / name, headers={"Cache-Control": "max-age=86400"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=OPENAPI_URL,
            title="Carlzon API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/carlzon.css",
        )


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(f"the {package} package is not installed; reinstall Carlzon (make install)")
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
    if not path.exists():
        raise ConfigError(f"{path} is missing from the installed {package} package; reinstall it")
    return path
