"""Run an analysis pipeline on one machine or on Dask: the same batch function either way.

``engine="local"`` transforms pandas chunks in this process; ``engine="dask"`` reads Parquet (or
splits a frame) into partitions and runs ``pipeline.transform`` on each with
``map_partitions(..., meta=...)``, the meta being the pipeline's output for an empty batch.
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
) -> pd.DataFrame:
    """``pipeline`` applied to a frame or a Parquet file/folder; rows keep their order."""
    if engine not in ENGINES:
        raise AnalysisError(f"engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if engine == "local":
        frame = data if isinstance(data, pd.DataFrame) else pd.read_parquet(data)
        pipeline.fit(frame.head(0))
        parts = [pipeline.transform(frame.iloc[i : i + chunk]) for i in range(0, len(frame), chunk)]
        return pd.concat(parts) if parts else pipeline.transform(frame)
    dask = require("dask", "dask")
    dd = require("dask.dataframe", "dask")
    with dask.config.set({"dataframe.convert-string": False}):
        if isinstance(data, pd.DataFrame):
            ddf = dd.from_pandas(data, npartitions=npartitions, sort=False)
        else:
            ddf = dd.read_parquet(str(data))
        empty = ddf._meta.copy()
        pipeline.fit(empty)
        meta = pipeline.transform(empty)
        return ddf.map_partitions(pipeline.transform, meta=meta).compute(scheduler=scheduler)
