"""Model files: what `carlzon train` writes and the analyzers and `carlzon evaluate` read.

A model file holds the fitted classifier (training/classifier.py), its task, labels, label map,
the SHA-256 of the training data and its measured hold-out metrics, so a model can always say
what it was trained on and how good it was. A model file is a numpy .npz archive: the classifier's
arrays and one JSON text with everything else, read with ``allow_pickle=False``, so loading a
model file someone sent you cannot run code (before format 4 they were pickles; those are refused).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from carlzon.analysis.base import decode_state, encode_state
from carlzon.errors import AnalysisError, InputError, listed
from carlzon.journeys.models import Journey

TASKS = ("sentiment", "touchpoints", "aspects")
FORMAT_VERSION = 4  # 4: arrays and JSON, no pickle


def file_digest(path: Path) -> str:
    """SHA-256 of a model file's bytes (the analysis version names the model by its content), or an
    error naming the file when it cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        raise InputError(f"model file {path} does not exist; train one with: carlzon train ...") from None
    except IsADirectoryError:
        raise InputError(f"model file {path} is a folder, not a model file") from None
    except OSError as exc:
        raise InputError(f"model file {path} cannot be read: {exc.strerror}") from None


def save_model(model: dict, out: Path) -> None:
    """Write ``model`` (train_model's dict, its classifier under "pipeline") as arrays and JSON."""
    arrays, settings = model["pipeline"].to_arrays()
    meta = {key: value for key, value in model.items() if key != "pipeline"} | {"classifier": settings}
    named = {f"a_{name}": value for name, value in arrays.items()}
    out.write_bytes(encode_state({"meta": np.array(json.dumps(meta, ensure_ascii=False))} | named))


def load_model(path: Path, task: str) -> dict:
    """A model file saved by train_model, checked for its format and task."""
    from carlzon.analysis.training.classifier import TextClassifier

    if not path.exists():
        raise InputError(f"model file {path} does not exist; train one with: carlzon train {task} ...")
    again = f"train it again with: carlzon train {task} ..."
    try:
        arrays = decode_state(path.read_bytes())
        model = json.loads(str(arrays["meta"]))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        reason = "a model file of an older Carlzon (a pickle) or not a model file"
        raise InputError(f"{path} is not a Carlzon model file of format {FORMAT_VERSION} ({reason}); {again}") from exc
    if not isinstance(model, dict) or model.get("format") != FORMAT_VERSION or "classifier" not in model:
        raise InputError(f"{path} is not a Carlzon model file of format {FORMAT_VERSION}; {again}")
    if model["task"] != task:
        raise InputError(f"{path} is a {model['task']} model, not a {task} model")
    parts = {name[2:]: value for name, value in arrays.items() if name.startswith("a_")}
    try:
        model["pipeline"] = TextClassifier.from_arrays(parts, model.pop("classifier"))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path} is a damaged Carlzon model file ({type(exc).__name__}: {exc}); {again}") from exc
    return model


def load_sentiment_classifier(path: Path) -> tuple[Any, list[str]]:
    """The classifier in a `carlzon train sentiment` file and its classes as positive / negative
    (/ neutral); an error if the file is not such a model or its labels do not say sentiment."""
    classifier = load_model(path, "sentiment")["pipeline"]
    canonical = {label: name for name, label in sentiment_label_names(list(classifier.classes_)).items()}
    return classifier, [canonical[c] for c in classifier.classes_]


def load_touchpoint_classifier(path: Path, journey: Journey) -> Any:
    """The classifier in a `carlzon train touchpoints` file; an error if it is not such a model or
    predicts anything that is not a touchpoint of ``journey``."""
    stored = load_model(path, "touchpoints")
    foreign = sorted(set(stored["labels"]) - {tp.id for tp in journey.touchpoints()})
    if foreign:
        raise AnalysisError(
            f"{path} predicts {listed(foreign)}, which are not touchpoints of journey '{journey.id}'; "
            "train it with a --label-map onto this journey"
        )
    return stored["pipeline"]


def load_aspect_classifier(path: Path) -> tuple[Any, list[str]]:
    """The classifier in a `carlzon train aspects` file and its classes (positive / negative /
    neutral), from a mention's context to its polarity."""
    classifier = load_model(path, "aspects")["pipeline"]
    return classifier, [str(c) for c in classifier.classes_]


def sentiment_label_names(label_set: list[str]) -> dict[str, str]:
    """positive/negative(/neutral) -> the dataset's spelling of each (positive, pos, p, 1 …)."""
    aliases = {
        "positive": ("positive", "pos", "p", "1"),
        "negative": ("negative", "neg", "n", "0"),
        "neutral": ("neutral", "neu"),
    }
    names = {}
    for canonical, spellings in aliases.items():
        for label in label_set:
            if label.lower() in spellings:
                names[canonical] = label
    if "positive" not in names or "negative" not in names:
        raise InputError(
            f"cannot map labels {listed(label_set)} onto positive/negative(/neutral); "
            "label sentiment as positive, negative and neutral (or pos/neg/neu, 1/0)"
        )
    return names
