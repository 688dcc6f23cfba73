"""Typed settings, read from ``CARLZON_*`` environment variables (or a ``.env`` file).

Why one object: every entry point (CLI, web, library, tests) builds a ``Settings`` and
passes it down, so nothing reads the environment behind the caller's back and a test can
make its own with a temporary workspace.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from carlzon.errors import ConfigError

DEV_SECRET = "carlzon-dev-secret-change-me"


class Settings(BaseSettings):
    """Carlzon's settings. Every field is documented in docs/settings.md."""

    model_config = SettingsConfigDict(env_prefix="CARLZON_", env_file=".env", extra="ignore")

    workspace: Path = Field(
        default=Path("carlzon-workspace"),
        description="Folder for the default SQLite database, reports and trained models.",
    )
    cache_dir: Path = Field(
        default=Path.home() / ".cache" / "carlzon",
        description="Folder for models Carlzon fits from package data once and reuses (the Chinese sentiment prior).",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL. Unset: a SQLite file `carlzon.db` in the workspace. "
            "Use postgresql+psycopg://user@host/db for PostgreSQL."
        ),
    )
    environment: Literal["development", "production"] = Field(
        default="development",
        description="In production the secret key must be set to a non-default value.",
    )
    secret_key: SecretStr = Field(
        default=SecretStr(DEV_SECRET),
        description="Signs tokens and webhooks. Must be changed in production.",
    )
    privacy_key: SecretStr | None = Field(
        default=None,
        description=(
            "Key that hashes customer ids (keyed BLAKE2b). Unset: a random key kept in the database. "
            "Set it so that a copy of the database alone cannot be matched back to customer ids."
        ),
    )
    customer_ids: Literal["hashed", "raw"] = Field(
        default="hashed",
        description="hashed: customer ids are stored as keyed hashes; raw: as given (for users who must keep them).",
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Where customers reach `carlzon serve` (scheme, host, port): the base of survey links, QR codes.",
    )
    sqlite_busy_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds a SQLite writer waits for another process to finish before the database counts as busy.",
    )
    lang: str | None = Field(
        default=None,
        description="Language of the report and of the CLI's messages: zh-Hans, zh-Hant or en (unset: en).",
    )
    survey_rate_limit: int = Field(
        default=30,
        ge=0,
        description="Survey answers sent a minute from one address on the public pages (partial saves: 4x); "
        "0: no limit.",
    )
    web_threads: int = Field(
        default=8,
        ge=1,
        le=200,
        description="Threads per `carlzon serve` worker for the routes that query the database.",
    )
    smtp_host: str | None = Field(default=None, description="SMTP server for e-mail notices (unset: e-mail is off).")
    smtp_port: int = Field(default=587, gt=0, lt=65536, description="SMTP port (587 STARTTLS, 465 SSL, 25 plain).")
    smtp_security: Literal["starttls", "ssl", "plain"] = Field(
        default="starttls", description="How the SMTP connection is secured."
    )
    smtp_username: str | None = Field(default=None, description="SMTP login (unset: no login).")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password; never printed.")
    smtp_from: str = Field(default="carlzon@localhost", description="The From address of e-mail notices.")
    smtp_timeout: float = Field(default=10.0, gt=0, description="Seconds an SMTP connection may take.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="WARNING", description="Logging level of the carlzon logger."
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.secret_key.get_secret_value() == DEV_SECRET:
            raise ValueError("CARLZON_SECRET_KEY is the development default; set a long random value in production")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database URL in force: the explicit one, or the workspace's SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.workspace / 'carlzon.db').resolve()}"


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment plus explicit overrides, as a ConfigError when invalid."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValueError as exc:  # pydantic.ValidationError is a ValueError
        raise ConfigError(f"invalid Carlzon settings: {exc}") from exc
