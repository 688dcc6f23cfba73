"""Run an analysis pipeline on one machine or on Dask: the same batch function either way.

Both engines first fit the pipeline once, on the first ``fit_rows`` rows (analyzers such as the
self-training sentiment learn from them), then apply that one fitted pipeline to every row:
``engine="local"`` in pandas chunks in this process, ``engine="dask"`` per partition of a Parquet
file (or of a frame) with ``map_partitions(..., meta=...)``, the meta being the fitted pipeline's
output for an empty batch. Same fit, same transform: the engines agree exactly.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from carlzon._optional import require
from carlzon.analysis.pipeline import Pipeline
from carlzon.errors import AnalysisError

ENGINES = ("local", "dask")


def run(
    pipeline: Pipeline,
    data: pd.DataFrame | Path | str,
    *,
    engine: str = "local",
    npartitions: int = 4,
    scheduler: str = "threads",
    chunk: int = 1000,
    fit_rows: int = 50_000,
) -> pd.DataFrame:
    """``pipeline`` applied to a frame or a Parquet file/folder; rows keep their order."""
    if engine not in ENGINES:
        raise AnalysisError(f"engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if engine == "local":
        frame = data if isinstance(data, pd.DataFrame) else pd.read_parquet(data)
        pipeline.fit(frame.head(fit_rows))
        parts = [pipeline.transform(frame.iloc[i : i + chunk]) for i in range(0, len(frame), chunk)]
        return pd.concat(parts) if parts else pipeline.transform(frame)
    dask = require("dask", "dask")
    dd = require("dask.dataframe", "dask")
    with dask.config.set({"dataframe.convert-string": False}):
        if isinstance(data, pd.DataFrame):
            ddf = dd.from_pandas(data, npartitions=npartitions, sort=False)
        else:
            ddf = dd.read_parquet(str(data))
        pipeline.fit(ddf.head(fit_rows, npartitions=-1))
        meta = pipeline.transform(ddf._meta.copy())
        return ddf.map_partitions(pipeline.transform, meta=meta).compute(scheduler=scheduler)
