"""Journey → Stage → Touchpoint: the map every other part of Carlzon hangs its numbers on.

Pure types, no I/O. A touchpoint carries what the articles ask of a moment of truth: who
owns it, which of the four moments it is, what the brand promises there, what improving it
costs, and the words customers use about it (simplified Chinese, traditional Chinese,
English) so feedback can be tagged to it.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator


class MomentKind(StrEnum):
    """The four moments of truth a touchpoint can belong to."""

    ZERO = "zero"  # search, word of mouth, before any contact
    FIRST = "first"  # shelf, store, first contact
    SECOND = "second"  # use, service
    ULTIMATE = "ultimate"  # sharing, recommending


class Phase(StrEnum):
    """Where a stage sits relative to the experience itself (peak-end uses 'during')."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Names(_Strict):
    """A display name in Chinese and English."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Lexicon(_Strict):
    """Words or phrases in each script; zh_hant may be empty (it is derived by OpenCC)."""

    zh_hans: list[str] = Field(default_factory=list)
    zh_hant: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)

    @field_validator("zh_hans", "zh_hant", "en")
    @classmethod
    def _no_blank_terms(cls, terms: list[str]) -> list[str]:
        for term in terms:
            if not term.strip():
                raise ValueError("terms must not be blank")
        return terms

    def all_terms(self) -> list[str]:
        """Every term in every script, de-duplicated, in a stable order."""
        return list(dict.fromkeys([*self.zh_hans, *self.zh_hant, *self.en]))


_ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class Touchpoint(_Strict):
    """One point where the customer meets the brand."""

    id: str = Field(pattern=_ID_PATTERN)
    name: Names
    owner: str = Field(min_length=1, description="Department that owns this touchpoint")
    moment: MomentKind
    promise: str = Field(default="", description="What the brand promises at this point")
    cost: float | None = Field(default=None, ge=0, description="Relative cost of improving it (1-10)")
    fit: float = Field(
        default=1.0, ge=0, le=1, description="How central this touchpoint is to the brand's positioning (0-1)"
    )
    keywords: Lexicon
    examples: Lexicon = Field(default_factory=Lexicon)
    channels: list[str] = Field(
        default_factory=list,
        description="Feedback from these channels is a contact at this touchpoint whatever it mentions: "
        "a call-centre call or a service chat is customer service (call_centre, chat, email, social …)",
    )

    @field_validator("channels")
    @classmethod
    def _channel_names(cls, channels: list[str]) -> list[str]:
        for channel in channels:
            if not re.fullmatch(_ID_PATTERN, channel):
                raise ValueError(f"{channel!r} is not a channel name (lower-case, like call_centre or chat)")
        return list(dict.fromkeys(channels))

    @field_validator("keywords")
    @classmethod
    def _needs_keywords(cls, keywords: Lexicon) -> Lexicon:
        if not keywords.zh_hans or not keywords.en:
            raise ValueError("give at least one zh_hans and one en keyword so feedback can be tagged")
        return keywords


class Stage(_Strict):
    """A step of the journey, holding its touchpoints in the order the customer meets them."""

    id: str = Field(pattern=_ID_PATTERN)
    name: Names
    phase: Phase
    touchpoints: list[Touchpoint] = Field(min_length=1)


class Journey(_Strict):
    """A customer journey: stages in order, each with touchpoints in order."""

    id: str = Field(pattern=_ID_PATTERN)
    name: Names
    industry: str = Field(min_length=1)
    description: str = ""
    stages: list[Stage] = Field(min_length=1)

    def touchpoints(self) -> list[Touchpoint]:
        """All touchpoints in journey order."""
        return [tp for stage in self.stages for tp in stage.touchpoints]

    def stage_of(self, touchpoint_id: str) -> Stage:
        """The stage that holds a touchpoint."""
        for stage in self.stages:
            if any(tp.id == touchpoint_id for tp in stage.touchpoints):
                return stage
        raise KeyError(touchpoint_id)

    def touchpoint(self, touchpoint_id: str) -> Touchpoint:
        """One touchpoint by id."""
        for tp in self.touchpoints():
            if tp.id == touchpoint_id:
                return tp
        raise KeyError(touchpoint_id)
