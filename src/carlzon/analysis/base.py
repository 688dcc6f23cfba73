"""The analyzer contract (scikit-learn's estimator contract, as BERTopic uses it).

- ``__init__`` only stores its parameters;
- ``prepare()`` reads the files its parameters name (a trained model), once, so that a wrong file
  is said before any step of a pipeline runs; most analyzers read none;
- ``fit(batch)`` learns what it needs (most built-ins need nothing) and returns ``self``;
  learned state ends in ``_``;
- ``transform(batch)`` returns the batch with the columns in ``produces`` added — never a row
  dropped or reordered — and must accept an empty batch (the Dask engine derives its ``meta``
  from one);
- ``requires`` names the columns it reads, so a Pipeline can refuse an impossible order up front;
- an analyzer that learns from the batch itself (``learns_from_batch``) raises AnalysisError when
  asked to transform before it was fitted, and can hand its learned state over as plain arrays
  (``fitted_state`` / ``restore_state``), so a later run, a resumed run or a Dask worker reads new
  records exactly as the run that fitted it did; one that cannot is fitted again on the same sample;
- ``identity()`` says what decides the step's output besides its input (its class, ``version``
  and parameters); the analysis version of a journey is a hash of its steps' identities, so a
  changed step, parameter or model file re-analyses what it affects.
"""

from __future__ import annotations

import io
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd

from carlzon.errors import AnalysisError

State = dict[str, np.ndarray]  # an analyzer's learned state as named arrays (saved without pickle)


def encode_state(state: State, *, compressed: bool = True) -> bytes:
    """A fitted state as the bytes of a numpy .npz archive (no pickle, so safe to store and to read back).
    ``compressed=False`` for a file read on every run (a prior), where inflating it would cost each run."""
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **state)
    return buffer.getvalue()


def decode_state(data: bytes) -> State:
    """The state ``encode_state`` wrote (object arrays refused: nothing in it can run code)."""
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        return {key: archive[key] for key in archive.files}


class Analyzer:
    """Base class of every analysis step (built-in or plugin)."""

    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ("text",)
    produces: ClassVar[tuple[str, ...]] = ()
    version: ClassVar[int] = 1  # bump when the step's output for the same input and parameters changes
    learns_from_batch: ClassVar[bool] = False

    def identity(self) -> dict[str, Any]:
        """What decides this step's output besides its input: class, version and parameters."""
        params = {k: repr(v) for k, v in sorted(vars(self).items()) if not k.endswith("_") and k != "workers"}
        return {"step": f"{type(self).__module__}.{type(self).__qualname__}", "version": self.version, **params}

    def fitted_state(self) -> State | None:
        """The state learnt in ``fit`` as named arrays; None when it cannot be exported (the driver
        then fits the step again on the same sample). Nothing learnt: an empty dict."""
        return {} if not self.learns_from_batch else None

    def restore_state(self, state: State) -> Self:
        """Take over the state ``fitted_state`` gave, after ``fit`` on an empty batch."""
        if state:
            raise AnalysisError(f"{type(self).__name__} cannot restore a learnt state; fit it on the sample instead")
        return self

    def prepare(self) -> Self:
        """Read the files the parameters name; the default reads none."""
        return self

    def fit(self, batch: pd.DataFrame) -> Self:
        """Learn from ``batch``; the default learns nothing."""
        return self

    def transform(self, batch: pd.DataFrame) -> pd.DataFrame:
        """``batch`` with the ``produces`` columns added."""
        raise NotImplementedError(f"{type(self).__name__} must implement transform()")

    def fit_transform(self, batch: pd.DataFrame) -> pd.DataFrame:
        """fit, then transform."""
        return self.fit(batch).transform(batch)

    def __dask_tokenize__(self) -> tuple[str, int]:
        """Dask names tasks by hashing their arguments; a fitted analyzer is named by its identity instead
        (its learned state — an Aho-Corasick automaton, a classifier — cannot be hashed deterministically)."""
        return (type(self).__qualname__, id(self))

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.endswith("_"))
        return f"{type(self).__name__}({params})"


class PassthroughAnalyzer(Analyzer):
    """A step that does nothing: put it where a pipeline should skip a step."""

    name = "passthrough"
    requires = ()
    produces = ()

    def transform(self, batch: pd.DataFrame) -> pd.DataFrame:
        return batch
