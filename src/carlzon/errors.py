"""Every error Carlzon raises on purpose, in one tree.

Messages say what went wrong *and what to do next*; the CLI (``cli/_render.py``)
is the only place that turns them into exit codes::

    CarlzonError                 base class; exit code 1
    ├── ConfigError              a setting is missing or unsafe; exit code 2
    ├── InputError               the user gave us something we cannot use; exit code 2
    │   ├── JourneyFileError     a journey YAML is malformed (file, line, field)
    │   ├── YamlFileError        a YAML file is malformed (file, line, field): rules, surveys
    │   ├── FeedbackFileError    a feedback file is malformed (file, row, field)
    │   └── StateError           the thing is not in a state that allows this (a closed task); HTTP 409
    ├── NotFoundError            a named journey, touchpoint or record does not exist; exit code 3
    ├── StorageError             the database cannot be reached or is out of date; exit code 4
    ├── AnalysisError            an analysis step cannot run on the data given; exit code 5
    ├── AuthenticationError      no valid credentials (a wrong password, a revoked token); exit code 6
    ├── PermissionDeniedError    signed in, but the role or token scope does not allow it; exit code 7
    └── RateLimitedError         too many attempts in a short time; wait and try again; exit code 8
"""

from __future__ import annotations


class CarlzonError(Exception):
    """Base class of every error Carlzon raises on purpose."""

    exit_code = 1


class ConfigError(CarlzonError):
    """A setting is missing, malformed or unsafe."""

    exit_code = 2


class InputError(CarlzonError):
    """Input from the user (a file, an argument) cannot be used as given."""

    exit_code = 2


class JourneyFileError(InputError):
    """A journey YAML file is malformed; each problem names the file, line and field."""

    def __init__(self, path: str, problems: list[tuple[int | None, str, str]]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One ``file:line: field 'x': problem`` line per problem."""
        out = []
        for line, field, problem in self.problems:
            where = f"{self.path}:{line}" if line is not None else self.path
            out.append(f"{where}: field '{field}': {problem}")
        return out


class YamlFileError(InputError):
    """A YAML file Carlzon reads (rules, surveys) is malformed; each problem names the file, line and field."""

    def __init__(self, path: str, problems: list[tuple[int | None, str, str]]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One ``file:line: field: message`` line per problem."""
        return [
            f"{self.path}:{line}: {field}: {problem}" if line is not None else f"{self.path}: {field}: {problem}"
            for line, field, problem in self.problems
        ]


class RulesFileError(YamlFileError):
    """A rules YAML file is malformed."""


class SurveyFileError(YamlFileError):
    """A survey definition (YAML or JSON) is malformed."""


class FeedbackFileError(InputError):
    """A feedback file is malformed; names the file, row and field."""

    def __init__(self, path: str, row: int | None, field: str, problem: str) -> None:
        self.path = path
        self.row = row
        self.field = field
        self.problem = problem
        where = f"{path}, row {row}" if row is not None else path
        super().__init__(f"{where}, field '{field}': {problem}")


class StateError(InputError):
    """Valid input, but what it acts on is not in a state that allows it (a task move the lifecycle
    does not allow from where the task is)."""


class NotFoundError(CarlzonError):
    """A named journey, touchpoint or record does not exist."""

    exit_code = 3


class StorageError(CarlzonError):
    """The database cannot be reached, or its schema is out of date."""

    exit_code = 4


class AnalysisError(CarlzonError):
    """An analysis step cannot run on the data it was given."""

    exit_code = 5


class AuthenticationError(CarlzonError):
    """No valid credentials: an unknown user, a wrong password, a revoked or expired token."""

    exit_code = 6


class PermissionDeniedError(CarlzonError):
    """The user or token is known but its role or scopes do not allow this."""

    exit_code = 7


class RateLimitedError(CarlzonError):
    """Too many attempts in a short time (sign-ins, requests); ``retry_after`` seconds to wait."""

    exit_code = 8

    def __init__(self, message: str, retry_after: int = 60) -> None:
        self.retry_after = retry_after
        super().__init__(message)


def listed(items: object, limit: int = 10) -> str:
    """Items for a message, the first ``limit`` of them: "a, b, c, … and 1,990 more" (a list of
    100,000 labels in one error line is no message)."""
    values = [str(item) for item in items]  # type: ignore[attr-defined]
    shown = ", ".join(values[:limit])
    return shown if len(values) <= limit else f"{shown}, … and {len(values) - limit:,} more"
