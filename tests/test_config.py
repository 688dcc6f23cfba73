from __future__ import annotations

from pathlib import Path

import pytest

from carlzon.config import Settings, load_settings
from carlzon.errors import ConfigError


def test_default_database_is_a_sqlite_file_in_the_workspace(tmp_path: Path) -> None:
    settings = Settings(workspace=tmp_path / "ws")
    assert settings.resolved_database_url == f"sqlite:///{(tmp_path / 'ws' / 'carlzon.db').resolve()}"


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARLZON_DATABASE_URL", "postgresql+psycopg://db/cx")
    monkeypatch.setenv("CARLZON_LOG_LEVEL", "info")
    settings = load_settings()
    assert settings.resolved_database_url == "postgresql+psycopg://db/cx"
    assert settings.log_level == "INFO"


def test_production_refuses_the_development_secret() -> None:
    with pytest.raises(ConfigError, match="CARLZON_SECRET_KEY"):
        load_settings(environment="production")
    assert load_settings(environment="production", secret_key="x" * 40).environment == "production"
