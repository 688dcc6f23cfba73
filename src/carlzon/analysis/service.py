"""Analyse stored feedback against a journey: incrementally, in chunks, as a recorded run.

A record is analysed once per *analysis version* — a hash of the journey's taxonomy and of the
analyzers, their parameters and model files (Pipeline.version) — so a second run analyses only
what was imported since, and a changed journey or model re-analyses everything it affects.
What the sentiment step learns from the data (self-training) is fitted once per version on a
bounded sample and stored (analysis_fits): later runs, a run resumed after ``kill -9`` and Dask
workers all read new records with that same fit. Each chunk's results are committed with the
run's counts in one transaction (storage/analyses.py), so an interrupted run leaves whole chunks
and the next one finishes exactly what is missing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from carlzon.analysis.base import decode_state, encode_state
from carlzon.analysis.defaults import CHUNK, SAMPLE, SEED
from carlzon.analysis.engine import ProgressCallback, check_engine, local_workers
from carlzon.analysis.engine import transform_chunks as _transform_chunks
from carlzon.analysis.pipeline import Pipeline, default_pipeline, split_output
from carlzon.analysis.topics import refresh_topics
from carlzon.errors import AnalysisError
from carlzon.storage.analyses import AnalysisFit, AnalysisRun
from carlzon.storage.store import Store

REFIT_GROWTH = 4  # the store has grown this many times past a small sample: suggest --all


@dataclass(frozen=True)
class AnalysisSummary:
    """What an analysis run did: records and mentions written by the run (all its chunks), how many
    records were already analysed under this version, and whether it resumed an interrupted run.
    ``run_id`` is 0 when there was nothing to analyse (no run is recorded then)."""

    journey_id: str
    version: str
    run_id: int
    records: int
    mentions: int
    untagged: int
    already_analysed: int = 0
    resumed: bool = False
    fitted: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `carlzon analyze --json`."""
        return asdict(self)


def analyse_journey(
    *,
    store: Store,
    journey_id: str,
    redo_all: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    staging: Path | None = None,
    chunk: int = CHUNK,
    sample: int = SAMPLE,
    on_progress: ProgressCallback | None = None,
    touchpoint_model: Path | None = None,
    sentiment_model: Path | None = None,
    aspect_model: Path | None = None,
) -> AnalysisSummary:
    """Analyse the stored feedback that has no analysis under ``journey_id``'s current version (all of
    it with ``redo_all``), resuming an interrupted run of the same version.

    ``engine``: "local" (this process, one worker per core) or "dask" (``scheduler``: a Dask
    scheduler's address, default a LocalCluster; ``staging``: a folder the workers can read, for the
    Parquet partitions). ``touchpoint_model``: a model from `carlzon train touchpoints` whose
    predictions join the taxonomy's; ``sentiment_model``: one from `carlzon train sentiment` that
    names each text's sentiment; ``aspect_model``: one from `carlzon train aspects` that reads the
    polarity of mentions whose opinion words say nothing. ``chunk``: records analysed and committed
    together; ``sample``: at most this many records are what the analysis learns from (self-training).
    """
    check_engine(engine)
    if chunk < 1 or sample < 1:
        raise AnalysisError("the chunk and sample sizes must be at least 1")
    journey = store.get_journey(journey_id)
    stored = store.count_feedback()
    if stored == 0:
        raise AnalysisError("there is no feedback to analyse; import some first (or run: carlzon demo)")
    pipeline = default_pipeline(
        journey,
        workers=local_workers() if engine == "local" else 1,
        touchpoint_model=touchpoint_model,
        sentiment_model=sentiment_model,
        aspect_model=aspect_model,
    )
    version = pipeline.version()  # reads the model files' bytes: a missing one is said here
    run = store.unfinished_analysis_run(journey_id, version)
    if run is not None and redo_all and not run.redo_all:
        run = None  # asked to redo everything: the interrupted incremental run is superseded
    if run is None and not redo_all and store.count_unanalysed(journey_id, version) == 0:
        return AnalysisSummary(journey_id, version, 0, 0, 0, 0, already_analysed=stored)  # no run, no models loaded
    pipeline.prepare()  # the priors and model files are loaded (and a wrong model file said) before anything runs
    resumed = run is not None
    if run is None:
        options = {
            "engine": engine,
            "sentiment_model": _path(sentiment_model),
            "touchpoint_model": _path(touchpoint_model),
            "aspect_model": _path(aspect_model),
        }
        run = store.start_analysis_run(journey_id=journey_id, version=version, redo_all=redo_all, options=options)
    pending = store.count_pending(run)
    already = stored - pending
    fit = store.get_analysis_fit(run.fit_id) if run.fit_id else None
    if fit is None and not run.redo_all:
        fit = store.latest_analysis_fit(journey_id, version)
    fitted = fit is None and pending > 0
    done = 0
    if fit is not None:
        _restore(pipeline, fit, store)
        if run.fit_id != fit.id:
            store.set_analysis_run_fit(run.id, fit.id, pending)
    elif pending:
        fit, done = _fit_on_sample(
            pipeline, store=store, run=run, sizes=(sample, chunk), on_progress=on_progress, total=pending
        )
    for analysed in _transform_chunks(
        pipeline, store.pending_chunks(run, chunk), engine=engine, scheduler=scheduler, staging=staging
    ):
        output = split_output(analysed)
        store.commit_analysis_chunk(run, output.results, output.mentions)
        done += len(output.results)
        if on_progress is not None:
            on_progress(done, pending)
    final = store.finish_analysis_run(run.id)
    refresh_topics(store=store, journey_id=journey_id, run_id=run.id, version=version, redo_all=run.redo_all)
    return AnalysisSummary(
        journey_id,
        version,
        run.id,
        final.analysed,
        final.mentions,
        final.untagged,
        already_analysed=already,
        resumed=resumed,
        fitted=fitted,
        notes=_notes(fit, stored, sample),
    )


def _fit_on_sample(
    pipeline: Pipeline,
    *,
    store: Store,
    run: AnalysisRun,
    sizes: tuple[int, int],
    on_progress: ProgressCallback | None,
    total: int,
) -> tuple[AnalysisFit, int]:
    """Fit ``pipeline`` on a sample of the stored feedback, store the fit, and write the sample's own
    results (every record needs analysing when a version is fitted anew); the fit and how many
    records it wrote."""
    sample, chunk = sizes
    ids = store.sample_feedback_ids(sample, seed=SEED)
    analysed = pipeline.fit_transform(store.feedback_texts(ids))
    state = pipeline.fitted_state()
    fit = store.save_analysis_fit(
        journey_id=run.journey_id,
        version=run.version,
        state=encode_state(state) if state is not None else b"",
        sample_ids=ids,
        records=store.count_feedback(),
    )
    store.set_analysis_run_fit(run.id, fit.id, total)
    for start in range(0, len(analysed), chunk):
        output = split_output(analysed.iloc[start : start + chunk])
        store.commit_analysis_chunk(run, output.results, output.mentions)
        if on_progress is not None:
            on_progress(min(start + chunk, len(analysed)), total)
    return fit, len(analysed)


def _restore(pipeline: Pipeline, fit: AnalysisFit, store: Store) -> None:
    """The pipeline as the fit left it: from its stored state, or (a plugin step that cannot export
    its state) fitted again on the same sample, which gives the same state."""
    if fit.state:
        pipeline.restore_state(decode_state(fit.state))
    elif pipeline.learns_from_batch:
        pipeline.fit(store.feedback_texts(fit.sample_ids))
    else:
        pipeline.restore_state({})


def _notes(fit: AnalysisFit | None, stored: int, sample: int) -> list[str]:
    """Advice worth a line: a fit learnt from a store that has since grown many times over."""
    if fit is None or fit.records >= sample or stored < REFIT_GROWTH * max(fit.records, 1):
        return []
    return [
        f"the analysis learnt from the {fit.records:,} records stored when it was first run; "
        f"{stored:,} are stored now: run again with --all to learn from a sample of them"
    ]


def _path(path: Path | None) -> str | None:
    return str(path) if path is not None else None
