"""The analyzer contract (scikit-learn's estimator contract, as BERTopic uses it).

- ``__init__`` only stores its parameters;
- ``prepare()`` reads the files its parameters name (a trained model), once, so that a wrong file
  is said before any step of a pipeline runs; most analyzers read none;
- ``fit(batch)`` learns what it needs (most built-ins need nothing) and returns ``self``;
  learned state ends in ``_``;
- ``transform(batch)`` returns the batch with the columns in ``produces`` added — never a row
  dropped or reordered — and must accept an empty batch (the Dask engine derives its ``meta``
  from one);
- ``requires`` names the columns it reads, so a Pipeline can refuse an impossible order up front.
"""

from __future__ import annotations

from typing import ClassVar, Self

import pandas as pd


class Analyzer:
    """Base class of every analysis step (built-in or plugin)."""

    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ("text",)
    produces: ClassVar[tuple[str, ...]] = ()

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
