"""Files Carlzon writes where the user says (--out, --workspace): errors that name the file.

Why: a path in a folder that cannot be created, a read-only folder, a name that is a folder or a
full disk is the user's to fix, and Python's OSError traceback says neither which of Carlzon's
outputs failed nor what to do about it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from carlzon.errors import InputError


@contextmanager
def output_file(path: Path, what: str) -> Iterator[Path]:
    """Create the folder of ``path``, then let the caller write ``path``; an OSError of either
    becomes an InputError naming ``what`` ("report", "model") and the path.

    Keep only the writing inside the block, so that no other OSError is read as the output's.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        yield path
    except OSError as exc:
        raise InputError(f"cannot write the {what} to {path}: {_reason(exc)}; choose a path you can write to") from exc


def output_folder(path: Path, what: str) -> Path:
    """Create the folder ``path`` (and its parents); an OSError becomes an InputError naming it."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the {what} {path}: {_reason(exc)}; choose a folder you can write to") from exc
    return path


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileExistsError):  # mkdir of a folder on the way, where a file stands
        return f"{exc.filename} is a file, not a folder"
    return exc.strerror or str(exc)


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...), +cmd|...,
# @SUM(...)); OWASP's advice for CSV injection is to start such a cell with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A cell as it may be written into a CSV or sheet a person opens: a text that a spreadsheet
    would run as a formula gets a leading ``'`` (shown as text); anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def from_spreadsheet_safe(value: str) -> str:
    """A cell read back from a file Carlzon wrote with ``spreadsheet_safe``: its own quote removed."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
