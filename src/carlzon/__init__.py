"""Carlzon: Customer Experience Management built around Moments of Truth.

The front door of the library: ``import carlzon`` gives the public API below, each name imported
the first time it is used (so importing carlzon, and ``carlzon --help``, stay fast)::

    import carlzon

    store = carlzon.Store.from_settings(carlzon.Settings(workspace="ws"))
    store.upgrade()
    store.save_journey(carlzon.load_template("hotel"))
    carlzon.analyse_journey(store=store, journey_id="hotel")

The core imports no web or CLI framework; the CLI (carlzon.cli) and the coming web app call the
same services and serialise the same result types (their ``to_dict()``).
"""

from carlzon._lazy import lazy_exports

__version__ = "0.1.0"

_FACE = {
    # settings, storage, errors
    "Settings": "carlzon.config",
    "load_settings": "carlzon.config",
    "Store": "carlzon.storage.store",
    "CarlzonError": "carlzon.errors",
    "ConfigError": "carlzon.errors",
    "InputError": "carlzon.errors",
    "NotFoundError": "carlzon.errors",
    "StorageError": "carlzon.errors",
    "AnalysisError": "carlzon.errors",
    # journeys
    "Journey": "carlzon.journeys.models",
    "load_template": "carlzon.journeys.templates",
    "load_journey_file": "carlzon.journeys.templates",
    "list_templates": "carlzon.journeys.templates",
    # ingest
    "FeedbackRecord": "carlzon.ingest.models",
    "Channel": "carlzon.ingest.models",
    "Mapping": "carlzon.ingest.mapping",
    "import_source": "carlzon.ingest.service",
    "ImportReport": "carlzon.ingest.service",
    # analysis
    "Analyzer": "carlzon.analysis.base",
    "Pipeline": "carlzon.analysis.pipeline",
    "default_pipeline": "carlzon.analysis.pipeline",
    "analyse_feedback": "carlzon.analysis.engine",
    "run": "carlzon.analysis.engine",
    "analyse_journey": "carlzon.analysis.service",
    "AnalysisSummary": "carlzon.analysis.service",
    "train_model": "carlzon.analysis.training.train",
    "evaluate_model": "carlzon.analysis.training.evaluate",
    # metrics and moments of truth
    "JourneyMap": "carlzon.metrics.journey_map",
    "analyse_moments": "carlzon.mot.service",
    "BrandMoments": "carlzon.mot.service",
    "MotRanking": "carlzon.mot.prioritise",
    "MotWeights": "carlzon.mot.prioritise",
    "DriverAnalysis": "carlzon.mot.drivers",
    "add_improvement": "carlzon.mot.improvements",
    "review_all": "carlzon.mot.improvements",
    "ReviewResult": "carlzon.mot.review",
    "score_cuts": "carlzon.metrics.service",
    # reports
    "write_report": "carlzon.reports.html",
    "build_report_data": "carlzon.reports.html",
}
__all__ = ["__version__", *sorted(_FACE)]
__getattr__, __dir__ = lazy_exports(__name__, _FACE)
