"""The analysis driver: the one way a pipeline runs over feedback, on one machine or on Dask.

`carlzon analyze` (service.analyse_journey), ``analyse_feedback`` and the library's ``run`` all
go through it, in two stages:

1. **fit** on a bounded, seeded, stratified sample (carlzon.sampling): what the sentiment step
   learns from the batch itself comes from at most ``SAMPLE`` records, so memory does not grow
   with the data; the sample's own output is kept rather than computed twice;
2. **transform** every other record, chunk by chunk, with that one fitted pipeline: in this
   process (``engine="local"``) or on a ``dask.distributed`` cluster over Parquet partitions of the
   records (``engine="dask"``), a few partitions in flight at a time, each handed back as soon as
   it is done.

Same fit, same per-record transform (feature rows are canonical, see features.canonical): the
engines, any chunk size and a resumed run agree to the last bit.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pandas as pd

from carlzon._optional import require
from carlzon.analysis.defaults import CHUNK, SAMPLE, SEED
from carlzon.analysis.pipeline import AnalysisOutput, Pipeline, default_pipeline, split_output
from carlzon.errors import AnalysisError
from carlzon.journeys.models import Journey
from carlzon.sampling import sample_ids

ProgressCallback = Callable[[int, int], None]
ENGINES = ("local", "dask")
MAX_WORKERS = 8  # processes for a chunk's per-text stage: beyond this, forking costs more than it saves
IN_FLIGHT = 2  # partitions per Dask worker submitted ahead: keeps workers busy, bounds what waits in memory


def local_workers() -> int:
    """Processes the local engine's sentiment step uses (one per core, at most MAX_WORKERS)."""
    return min(os.cpu_count() or 1, MAX_WORKERS)


def check_engine(engine: str) -> None:
    """An error naming the engines when ``engine`` is not one of them."""
    if engine not in ENGINES:
        raise AnalysisError(f"engine {engine!r}: choose one of {', '.join(ENGINES)}")


def transform_chunks(
    pipeline: Pipeline,
    chunks: Iterable[pd.DataFrame],
    *,
    engine: str = "local",
    scheduler: str | None = None,
    staging: Path | None = None,
) -> Iterator[pd.DataFrame]:
    """Each chunk analysed by the fitted ``pipeline``, yielded as it is done (the local engine keeps
    the chunks' order; Dask yields them as they finish). ``scheduler``: the address of a running
    Dask scheduler (default: a LocalCluster of this machine's cores); ``staging``: where the Parquet
    partitions are written, a folder every worker can read (default: a temporary folder)."""
    check_engine(engine)
    if engine == "local":
        for chunk in chunks:
            yield pipeline.transform(chunk)
        return
    yield from _on_dask(pipeline, chunks, scheduler=scheduler, staging=staging)


def _on_dask(
    pipeline: Pipeline, chunks: Iterable[pd.DataFrame], *, scheduler: str | None, staging: Path | None
) -> Iterator[pd.DataFrame]:
    distributed = require("distributed", "dask")
    cluster = None
    if scheduler is None:
        cluster = distributed.LocalCluster(
            n_workers=local_workers(), threads_per_worker=1, processes=True, dashboard_address=None
        )
    folder = Path(tempfile.mkdtemp(prefix="carlzon-analysis-", dir=staging))
    try:
        with distributed.Client(scheduler or cluster) as client:
            workers = max(1, len(client.scheduler_info()["workers"]))
            shared = client.scatter(pipeline, broadcast=True)
            running = distributed.as_completed()
            for index, chunk in enumerate(chunks):
                part = folder / f"part-{index:06d}.parquet"
                chunk.to_parquet(part, index=False)
                running.add(client.submit(_transform_partition, shared, str(part), pure=False))
                while running.count() >= IN_FLIGHT * workers:
                    yield next(running).result()
            for future in running:
                yield future.result()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if cluster is not None:
            cluster.close()


def _transform_partition(pipeline: Pipeline, path: str) -> pd.DataFrame:
    """On a worker: one Parquet partition read and analysed."""
    return pipeline.transform(pd.read_parquet(path))


def run(
    pipeline: Pipeline,
    data: pd.DataFrame | Path | str,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    chunk: int = CHUNK,
    sample: int = SAMPLE,
    seed: int = SEED,
    on_progress: ProgressCallback | None = None,
) -> pd.DataFrame:
    """``pipeline`` fitted on a sample of ``data`` (a frame, or a Parquet file or folder) and applied to
    every row; rows keep their order. The sample is stratified by ``channel`` when there is one."""
    check_engine(engine)
    frame = data if isinstance(data, pd.DataFrame) else _read_parquet(Path(data))
    original_index = frame.index
    frame = frame.reset_index(drop=True)
    ids = frame["feedback_id"] if "feedback_id" in frame else pd.Series(frame.index)
    picked = frame.index[ids.isin(sample_ids(ids, frame.get("channel"), sample, seed))]
    total, done = len(frame), len(picked)
    parts = [pipeline.fit_transform(frame.loc[picked])]
    if on_progress is not None:
        on_progress(done, total)
    rest = frame.drop(index=picked)
    for analysed in transform_chunks(
        pipeline, (rest.iloc[i : i + chunk] for i in range(0, len(rest), chunk)), engine=engine, scheduler=scheduler
    ):
        parts.append(analysed)
        done += len(analysed)
        if on_progress is not None:
            on_progress(done, total)
    out = pd.concat(parts).sort_index() if len(parts) > 1 else parts[0]
    out.index = original_index
    return out


def _read_parquet(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise AnalysisError(f"{path} does not exist; pass a Parquet file or folder of feedback")
    return pd.read_parquet(path)


def analyse_feedback(
    frame: pd.DataFrame,
    journey: Journey,
    *,
    on_progress: ProgressCallback | None = None,
    pipeline: Pipeline | None = None,
    touchpoint_model: Path | None = None,
    sentiment_model: Path | None = None,
) -> AnalysisOutput:
    """Analyse every row of ``frame`` (columns ``feedback_id`` and ``text``) against ``journey``."""
    missing = {"feedback_id", "text"} - set(frame.columns)
    if missing:
        raise AnalysisError(f"the feedback frame lacks column(s) {sorted(missing)}; pass feedback_id and text")
    pipeline = pipeline or default_pipeline(
        journey, workers=local_workers(), touchpoint_model=touchpoint_model, sentiment_model=sentiment_model
    )
    batch = frame.assign(text=frame["text"].fillna("").astype(str))
    return split_output(run(pipeline, batch, on_progress=on_progress))
