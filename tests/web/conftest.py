"""A real uvicorn server on loopback per test, on SQLite and PostgreSQL, with users of every role,
tokens, and tasks for two departments."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn

from carlzon.accounts.service import add_user, create_token
from carlzon.actions.models import Priority, Task
from carlzon.analysis.service import analyse_journey
from carlzon.config import Settings
from carlzon.demo.generate import write_example_csv
from carlzon.ingest.service import import_source
from carlzon.journeys import load_template
from carlzon.storage import Store
from carlzon.web import create_app

PASSWORD = "a long test password"


@dataclass
class Site:
    """A running server and what the tests need to talk to it."""

    url: str
    store: Store
    tokens: dict[str, str] = field(default_factory=dict)  # name -> secret
    tasks: dict[str, int] = field(default_factory=dict)  # department -> task id

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[token]}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, follow_redirects=False, timeout=20)

    def signed_in(self, username: str) -> tuple[httpx.Client, str]:
        """A browser-like client signed in as ``username`` and its CSRF token."""
        client = self.client()
        response = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/tasks"})
        assert response.status_code == 303, response.text
        page = client.get("/tasks")
        marker = 'name="csrf_token" value="'
        start = page.text.index(marker) + len(marker)
        return client, page.text[start : page.text.index('"', start)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(store: Store, workspace: Path, **settings: object) -> Iterator[str]:
    port = free_port()
    url = store.engine.url.render_as_string(hide_password=False)  # jobs run in processes of their own
    app = create_app(Settings(workspace=workspace, database_url=url, **settings), store=store)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def populate(store: Store) -> Site:
    store.save_journey(load_template("catering"))
    add_user(store=store, username="admin", password=PASSWORD, role="admin", actor="test")
    add_user(store=store, username="analyst", password=PASSWORD, role="analyst", actor="test")
    add_user(store=store, username="chef", password=PASSWORD, role="member", department="Kitchen", actor="test")
    add_user(store=store, username="host", password=PASSWORD, role="member", department="Front of house", actor="test")
    add_user(store=store, username="viewer", password=PASSWORD, role="viewer", actor="test")
    site = Site(url="", store=store)
    for name, user, scopes in (
        ("admin", "admin", ["read", "feedback:write", "tasks:write", "admin"]),
        ("intake", "analyst", ["feedback:write"]),
        ("reader", "analyst", ["read"]),
        ("chef", "chef", ["read", "tasks:write"]),
    ):
        site.tokens[name], _ = create_token(store=store, username=user, name=name, scopes=scopes, actor="test")
    now = datetime.now(UTC)
    for department, touchpoint in (("Kitchen", "taste"), ("Front of house", "greeting")):
        task = store.add_task(
            Task(
                journey_id="catering",
                touchpoint_id=touchpoint,
                title=f"{department}: look into complaints",
                department=department,
                priority=Priority.HIGH,
                due_at=now + timedelta(hours=8),
                created_at=now,
            )
        )
        assert task.id is not None
        site.tasks[department] = task.id
    return site


def running(store: Store, workspace: Path) -> Iterator[Site]:
    ready = populate(store)
    for url in serve(store, workspace):
        ready.url = url
        yield ready


@pytest.fixture
def site(store: Store, tmp_path: Path) -> Iterator[Site]:
    """The app on both backends (the ``store`` fixture's parameters)."""
    yield from running(store, tmp_path / "ws")


@pytest.fixture
def sqlite_site(sqlite_store: Store, tmp_path: Path) -> Iterator[Site]:
    yield from running(sqlite_store, tmp_path / "ws")


@pytest.fixture
def analysed_site(sqlite_store: Store, tmp_path: Path) -> Iterator[Site]:
    import_source(write_example_csv(tmp_path / "example.csv", count=600), store=sqlite_store)
    for site in running(sqlite_store, tmp_path / "ws"):
        analyse_journey(store=sqlite_store, journey_id="catering")
        yield site
