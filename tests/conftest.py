"""Shared fixtures: real SQLite files, a real PostgreSQL schema, and a guard against the network.

PostgreSQL tests read CARLZON_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)
and skip with that reason when it is unset. Each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text

from carlzon.config import Settings
from carlzon.storage import Store

# `make test` draws the same examples every run, so a red CI is a change, not a lucky draw;
# `make fuzz` draws new random ones (CARLZON_FUZZ_EXAMPLES of them) to hunt for inputs worth adding as @example.
hypothesis_settings.register_profile("default", derandomize=True)
hypothesis_settings.register_profile("fuzz", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

POSTGRES_ENV = "CARLZON_TEST_POSTGRES_URL"
DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
DATASETS = Path(os.environ.get("CARLZON_DATASETS", DATASETS))

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> object:
    if self.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
        host = str(address[0])
        try:
            local = ipaddress.ip_address(host).is_loopback
        except ValueError:
            local = host == "localhost"
        if not local:
            raise OSError(f"test tried to reach the network ({host}); Carlzon must work offline")
    return _real_connect(self, address)


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The Chinese prior is fitted once per test session into a temporary cache, never the user's."""
    previous = os.environ.get("CARLZON_CACHE_DIR")
    os.environ["CARLZON_CACHE_DIR"] = str(tmp_path_factory.mktemp("carlzon-cache"))
    yield
    if previous is None:
        os.environ.pop("CARLZON_CACHE_DIR", None)
    else:
        os.environ["CARLZON_CACHE_DIR"] = previous


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with outbound connections refused, except to this machine."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return tmp_path / "workspace"


@pytest.fixture
def settings(workspace: Path) -> Settings:
    return Settings(workspace=workspace)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.from_url(f"sqlite:///{tmp_path / 'test.db'}")
    store.upgrade()
    yield store
    store.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped after the test."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set; PostgreSQL tests need a server (see .ci/run)")
    schema = f"carlzon_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def postgres_store(postgres_url: str) -> Iterator[Store]:
    store = Store.from_url(postgres_url)
    store.upgrade()
    yield store
    store.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Store:
    """The same store tests on both backends."""
    return request.getfixturevalue("sqlite_store" if request.param == "sqlite" else "postgres_store")


def dataset(name: str, split: str = "test") -> Path:
    """Path of a shared dataset CSV, or skip the test saying it is absent."""
    path = DATASETS / name / f"{split}.csv"
    if not path.exists():
        pytest.skip(f"{path} is absent; the shared datasets are needed for this quality test")
    return path
