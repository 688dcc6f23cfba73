"""Rendering helpers for the CLI: the one place CarlzonError becomes a message and an exit code."""

from __future__ import annotations

import atexit
import functools
import gc
import importlib
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from carlzon.errors import CarlzonError, JourneyFileError, StorageError, YamlFileError

if TYPE_CHECKING:  # the CLI imports its heavy parts when a command runs, so `carlzon --help` is quick
    from carlzon.config import Settings
    from carlzon.storage import Store

console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


# Control characters (ESC starts the sequences that clear a screen or retitle a window), C1 controls
# and the bidirectional overrides that reorder what a terminal shows (Trojan Source).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def plain(value: object) -> str:
    """``value`` as Rich markup that shows it as written, and safe for a terminal: the one renderer
    every value from data goes through on its way to the screen.

    User text (a file name, a value in a quarantined row, a journey's names) may hold "[...]",
    which Rich would read as a style tag (and, for "[/...]", refuse with a traceback), and escape
    sequences, which the terminal would obey: they are shown as ``\\x1b`` and the like."""
    return escape(_CONTROL.sub(_visible, str(value)))


def busy_database(exc: BaseException) -> str | None:
    """The one-line message for a database another process holds locked, or None for any other error."""
    from sqlalchemy.exc import OperationalError

    if isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower():
        return (
            "the database is busy: another carlzon command is writing to it (CARLZON_SQLITE_BUSY_TIMEOUT "
            "seconds passed); run this again when it has finished"
        )
    return None


def handle_errors(command: F) -> F:
    """Turn a CarlzonError into a red one-line message (one per problem) and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CarlzonError as exc:
            lines = exc.lines() if isinstance(exc, JourneyFileError | YamlFileError) else [str(exc)]
            from carlzon.i18n import _

            for line in lines:
                err_console.print(f"[bold red]{_('error:')}[/] {plain(line)}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except Exception as exc:
            busy = busy_database(exc)
            if busy is None:
                raise
            err_console.print(f"[bold red]error:[/] {plain(busy)}", highlight=False, soft_wrap=True)
            raise typer.Exit(StorageError.exit_code) from None

    return wrapper  # type: ignore[return-value]


@contextmanager
def open_store(workspace: str | None, database_url: str | None, *, migrate: bool = False) -> Iterator[Store]:
    """The store of the settings in force: migrated first when ``migrate``, else checked current; always closed."""
    from carlzon.storage import Store

    store = Store.from_settings(settings_from(workspace, database_url))
    try:
        if migrate:
            store.upgrade()
        else:
            store.check_schema()
        yield store
    finally:
        store.dispose()


def settings_from(workspace: str | None = None, database_url: str | None = None) -> Settings:
    """Settings from the environment, with the command-line options taking precedence."""
    from carlzon.config import load_settings

    overrides: dict[str, object] = {}
    if workspace:
        overrides["workspace"] = workspace
    if database_url:
        overrides["database_url"] = database_url
    settings = load_settings(**overrides)
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("carlzon").setLevel(settings.log_level)
    return settings


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar; yields the ``on_progress(done, total)`` callback core functions take."""
    with Progress(
        TextColumn("[bold blue]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=False,
    ) as progress:
        task = progress.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


# Two decisions about Python's garbage collector, both for a short command's time (bench/RESULTS.md,
# "Scale"): what the imports make is frozen out of the collections, and the process ends without
# a last collection over everything.
_FROZEN = False


def skip_the_final_collection() -> None:
    """Let the process end without a last garbage collection over everything it imported.

    By the time it would run, the command has committed, closed its files and flushed its output;
    walking pandas', SQLAlchemy's and the analysis' objects once more only delays the exit (a
    fifth of a short command's time). The freeze only takes what exists out of that collection:
    every exit handler still runs (worker pools, temporary folders)."""
    atexit.unregister(gc.freeze)  # once per process, however many commands a test runs in it
    atexit.register(gc.freeze)


def load_modules(*names: str) -> None:
    """Import a command's heavy modules with the garbage collector paused, then freeze what they made.

    Imports create hundreds of thousands of long-lived objects (modules, classes, functions) and
    set off full collections that walk them all, again and again: a quarter of a second of a short
    `carlzon analyze`. Frozen, later collections skip them, and the
    command's own objects are collected as usual. Frozen once per process: a test that runs many
    commands in one process does not keep the garbage of each."""
    global _FROZEN
    enabled = gc.isenabled()
    gc.disable()
    try:
        for name in names:
            importlib.import_module(name)
    finally:
        if not _FROZEN:
            gc.freeze()
            _FROZEN = True
        if enabled:
            gc.enable()


def ensure_models() -> None:
    """Fit the sentiment priors now, with a message, if this machine has not cached them yet."""
    from carlzon.analysis.sentiment.prior import cache_dir, default_prior, is_cached

    for language, name in (("zh", "Chinese"), ("en", "English")):
        if not is_cached(language):
            with err_console.status(f"Fitting the {name} sentiment prior once (cached in {cache_dir()})…"):
                default_prior(language)
