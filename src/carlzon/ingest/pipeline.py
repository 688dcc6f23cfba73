"""Read and validate in a child process while the parent writes: two cores for one import.

Reading and validating cost about as much as writing, so one after the other they take twice as
long as side by side in two processes, where the writer sets the pace (a writer *thread* gains
nothing: both halves hold the GIL). Figures: bench/RESULTS.md, "Why the code is as it is".

The child is started with 'spawn' (safe beside the CLI's progress thread) and exits by itself
if its parent dies, so a killed import leaves no process behind.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from carlzon.ingest.batches import validated_batches

_DONE = "done"
_ERROR = "error"
_BATCH = "batch"


def in_child_process(
    path: Path, kwargs: dict[str, Any], on_progress: Callable[[int, int], None] | None
) -> Iterator[tuple[list, list, int]]:
    """The batches of ``validated_batches(path, **kwargs)``, produced by a child process."""
    context = multiprocessing.get_context("spawn")
    channel = context.Queue(maxsize=2)  # bounded: at most two batches in flight
    child = context.Process(target=_produce, args=(str(path), kwargs, channel, os.getpid()), daemon=True)
    child.start()
    try:
        while True:
            try:
                kind, payload, progress = channel.get(timeout=5)
            except queue.Empty:
                if not child.is_alive():
                    raise RuntimeError(f"the import's reader process died (exit code {child.exitcode})") from None
                continue
            if progress and on_progress is not None:
                on_progress(*progress)
            if kind == _ERROR:
                raise payload
            if kind == _DONE:
                return
            yield payload
    finally:
        if child.is_alive():
            child.terminate()
        child.join(timeout=10)


def _produce(path: str, kwargs: dict[str, Any], channel: Any, parent: int) -> None:
    progress: list[tuple[int, int]] = [(0, 0)]

    def send(item: tuple[str, Any, tuple[int, int]]) -> None:
        while True:
            try:
                channel.put(item, timeout=1)
                return
            except queue.Full:
                if os.getppid() != parent:
                    os._exit(1)  # orphaned: the parent was killed

    try:
        for batch in validated_batches(Path(path), on_progress=lambda d, t: progress.__setitem__(0, (d, t)), **kwargs):
            send((_BATCH, batch, progress[0]))
        send((_DONE, None, progress[0]))
    except Exception as exc:  # handed to the parent, which raises it
        send((_ERROR, exc, progress[0]))
