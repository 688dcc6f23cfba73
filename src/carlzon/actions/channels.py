"""Where notices go: the ``notify`` section of a rules file, and how deliveries retry.

Secrets (webhook signing secrets, robot keys and URLs that carry a key) are never written in the
file or stored in the database: the file names the environment variable that holds each one,
and the worker reads it when it sends. A channel whose variable is unset is said by
``carlzon rules validate`` and its notices wait (they are not lost) until it is set.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from carlzon.actions.fields import Duration

ChannelType = Literal["webhook", "email", "dingtalk", "feishu", "wecom", "slack"]
ROBOTS = frozenset({"dingtalk", "feishu", "wecom", "slack"})

# Standard Webhooks' recommended schedule: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
DEFAULT_RETRIES = tuple(timedelta(seconds=s) for s in (0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600))


class NotifyChannel(BaseModel):
    """One destination. ``url`` or ``url_env`` (for robot URLs that carry their key) for the
    HTTP kinds; ``to`` for e-mail; ``secret_env`` for signatures (webhook: a ``whsec_`` secret,
    several space-separated during rotation; DingTalk/Feishu: the robot's signing secret)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: ChannelType
    url: str | None = Field(default=None, description="Endpoint URL (no secrets in it: use url_env for those)")
    url_env: str | None = Field(default=None, description="Environment variable holding the URL")
    secret_env: str | None = Field(default=None, description="Environment variable holding the signing secret")
    to: Annotated[list[str], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)] = Field(
        default_factory=list, description="E-mail recipients"
    )
    language: Literal["zh", "en"] = "zh"
    rate_per_minute: int | None = Field(default=None, ge=1, description="Robots: messages a minute (default 20)")

    @field_validator("url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @model_validator(mode="after")
    def _has_destination(self) -> NotifyChannel:
        if self.type == "email":
            if not self.to:
                raise ValueError("an email channel needs 'to' (one or more addresses)")
        elif not (self.url or self.url_env):
            raise ValueError(f"a {self.type} channel needs 'url' or 'url_env'")
        if self.type == "webhook" and not self.secret_env:
            raise ValueError("a webhook channel needs 'secret_env' (the variable holding its whsec_ secret)")
        return self

    def resolved_url(self) -> str | None:
        return os.environ.get(self.url_env) if self.url_env else self.url

    def secret(self) -> str | None:
        return os.environ.get(self.secret_env) if self.secret_env else None

    def missing_environment(self) -> list[str]:
        """Variables this channel reads that are not set."""
        names = [n for n in (self.url_env, self.secret_env) if n]
        return [n for n in names if not os.environ.get(n)]

    def describe(self) -> str:
        """Where it goes, with nothing secret (a URL from the environment is named, not shown)."""
        if self.type == "email":
            return ", ".join(self.to)
        return self.url or f"${self.url_env}"


class Delivery(BaseModel):
    """How the worker retries: the wait before each attempt after the first; after the last
    failure the notice is dead-lettered (``carlzon deliveries retry`` re-queues it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    retries: list[Duration] = Field(default_factory=lambda: list(DEFAULT_RETRIES[1:]))
    jitter: float = Field(default=0.1, ge=0, le=1, description="Each wait varies by up to this fraction")
    timeout: Duration = Field(default=timedelta(seconds=10), description="Per HTTP request")
    robot_rate_per_minute: int = Field(default=20, ge=1)
