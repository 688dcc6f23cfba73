"""Training: classifiers fitted on the user's labelled feedback (``train.py``, ``classifier.py``),
the model files they live in (``modelfiles.py``), labelled-data reading (``labelled.py``) and
measurement of a model or of the zero-shot default (``evaluate.py``).
"""

from carlzon._lazy import lazy_exports

_FACE = {
    "train_model": "carlzon.analysis.training.train",
    "evaluate_model": "carlzon.analysis.training.evaluate",
    "evaluate_touchpoints_zero_shot": "carlzon.analysis.training.evaluate",
    "Evaluation": "carlzon.analysis.training.evaluate",
    "load_model": "carlzon.analysis.training.modelfiles",
    "load_label_map": "carlzon.analysis.training.labelled",
    "TextClassifier": "carlzon.analysis.training.classifier",
}
__all__ = sorted(_FACE)
__getattr__, __dir__ = lazy_exports(__name__, _FACE)
