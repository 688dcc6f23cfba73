"""What a survey is: questions tied to journey touchpoints, in every language the survey speaks.

Pure types (pydantic), no I/O: the loader (definitions.py) reads YAML or JSON into them and says
each problem with its file, line and field. Every string is ``{default, zh-Hans, zh-Hant, en}`` or
a plain string (the default); NPS, CSAT and CES carry their standard wording, so a manager writes
only what is theirs to say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)

from carlzon.actions.fields import Duration
from carlzon.text import to_traditional

Language = Literal["zh-Hans", "zh-Hant", "en"]
LANGUAGES: tuple[Language, ...] = ("zh-Hans", "zh-Hant", "en")
QuestionType = Literal["nps", "csat", "ces", "rating", "single", "multiple", "text", "rater"]
SCORED = frozenset(("nps", "csat", "ces", "rating"))
_ID = r"^[a-z0-9][a-z0-9_-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _plain(value: object) -> object:
    """A plain string is the default text."""
    return {"default": value} if isinstance(value, str) else value


class Text(_Strict):
    """A string in the survey's languages. Fallback: the language asked for; zh-Hant from zh-Hans
    (OpenCC, Taiwan phrasing) when only simplified Chinese is written; then the default."""

    default: str | None = Field(default=None, min_length=1)
    zh_hans: str | None = Field(default=None, alias="zh-Hans", min_length=1)
    zh_hant: str | None = Field(default=None, alias="zh-Hant", min_length=1)
    en: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _something(self) -> Text:
        if not (self.default or self.zh_hans or self.zh_hant or self.en):
            raise ValueError("a text needs at least one of default, zh-Hans, zh-Hant, en")
        return self

    def written(self, language: Language) -> bool:
        """Whether the text has its own words in ``language`` (zh-Hant may come from zh-Hans)."""
        if language == "zh-Hant":
            return bool(self.zh_hant or self.zh_hans)
        return bool(self.zh_hans if language == "zh-Hans" else self.en)

    def in_(self, language: Language) -> str:
        if language == "zh-Hant" and not self.zh_hant and self.zh_hans:
            return to_traditional(self.zh_hans)
        own = {"zh-Hans": self.zh_hans, "zh-Hant": self.zh_hant, "en": self.en}[language]
        return own or self.default or self.en or self.zh_hans or self.zh_hant or ""


Localised = Annotated[Text, BeforeValidator(_plain)]


def _text(zh: str, en: str) -> Text:
    return Text.model_validate({"zh-Hans": zh, "en": en})


# The standard wordings: NPS (Reichheld), CSAT top-2-box on 1-5, CES 2.0 (agreement, 1-7).
STANDARD_TEXT = {
    "nps": _text(
        "您向朋友或同事推荐我们的可能性有多大？",
        "How likely is it that you would recommend us to a friend or colleague?",
    ),
    "csat": _text("总体而言，您对这次体验满意吗？", "Overall, how satisfied were you with your experience?"),
    "ces": _text("我的事情办起来很省力。", "The company made it easy for me to handle my request."),
}
SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7), "rater": (1, 7)}


class Option(_Strict):
    id: str = Field(pattern=_ID)
    text: Localised


class ShowIf(_Strict):
    """Display logic: ask this question only when an earlier answer is so (e.g. detractors: nps at_most 6)."""

    question: str
    at_most: float | None = None
    at_least: float | None = None
    any_of: list[str] = Field(default_factory=list, description="Option ids of a choice question")

    @model_validator(mode="after")
    def _one_condition(self) -> ShowIf:
        if self.at_most is None and self.at_least is None and not self.any_of:
            raise ValueError("say when: at_most, at_least or any_of")
        return self


class Question(_Strict):
    id: str = Field(pattern=_ID)
    type: QuestionType
    text: Localised | None = Field(default=None, description="Default: the standard wording (nps, csat, ces)")
    touchpoint: str | None = Field(default=None, description="The journey touchpoint the answer speaks of")
    required: bool = False
    options: list[Option] = Field(default_factory=list, description="single and multiple: two or more")
    scale: int | None = Field(default=None, ge=2, le=10, description="rating: points of the scale (default 5)")
    rater: Literal["expectation_perception", "perception"] = Field(
        default="expectation_perception", description="rater: ask expectation and perception, or perception only"
    )
    show_if: ShowIf | None = None

    @field_validator("options")
    @classmethod
    def _options(cls, value: list[Option], info: ValidationInfo) -> list[Option]:
        kind = info.data.get("type")
        if kind in ("single", "multiple"):
            if len(value) < 2:
                raise ValueError(f"a {kind} question needs two or more options")
            ids = [o.id for o in value]
            if len(set(ids)) < len(ids):
                raise ValueError("option ids must differ")
        elif value and kind is not None:
            raise ValueError(f"a {kind} question has no options")
        return value

    @model_validator(mode="after")
    def _shape(self) -> Question:
        if self.type in ("single", "multiple") and not self.options:
            raise ValueError(f"a {self.type} question needs two or more options")
        if self.scale is not None and self.type != "rating":
            raise ValueError(f"scale is for rating questions; {self.type} has its standard scale")
        if self.text is None and self.type not in STANDARD_TEXT and self.type != "rater":
            raise ValueError(f"a {self.type} question needs its text")
        return self

    def wording(self) -> Text:
        return self.text or STANDARD_TEXT.get(self.type) or _text("", "")

    def bounds(self) -> tuple[int, int] | None:
        """The scale of a scored question, or None."""
        if self.type == "rating":
            return (1, self.scale or 5)
        return SCALES.get(self.type)


class Survey(_Strict):
    """A survey: where it is asked (journey, touchpoints), in which languages, and its questions."""

    id: str = Field(pattern=_ID)
    name: Localised
    journey: str = Field(pattern=_ID)
    default_language: Language = "zh-Hans"
    languages: list[Language] = Field(default_factory=lambda: ["zh-Hans", "en"])
    intro: Localised | None = None
    thank_you: Localised | None = None
    contact_every: Duration | None = Field(
        default=None, description="Ask a customer again no sooner than this (e.g. 30d): survey fatigue"
    )
    questions: list[Question] = Field(min_length=1)

    @field_serializer("contact_every")
    def _as_written(self, value: timedelta | None) -> str | None:
        """As a survey file writes it ("30d"), so a stored definition reads back as it was checked."""
        if value is None:
            return None
        seconds = value.total_seconds()
        return f"{seconds / 86400:g}d" if seconds % 86400 == 0 else f"{seconds:g}s"

    @field_validator("languages")
    @classmethod
    def _distinct(cls, value: list[Language]) -> list[Language]:
        if not value:
            raise ValueError("name at least one language")
        return list(dict.fromkeys(value))


@dataclass(frozen=True)
class PublishedSurvey:
    """A survey as the store keeps it: the definition, its version (each publish of a changed
    definition adds one) and whether it still takes answers."""

    survey: Survey
    version: int
    status: Literal["open", "closed"]
    published_at: datetime
    published_by: str
    closed_at: datetime | None = None
    source_text: str | None = None  # the YAML or JSON it was published from, as written
