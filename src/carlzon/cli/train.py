"""`carlzon train` and `carlzon evaluate`: models from the user's own labelled feedback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from carlzon.cli._render import console, handle_errors, plain, progress_bar
from carlzon.errors import InputError, listed

TaskArgument = Annotated[
    str, typer.Argument(help="sentiment, touchpoints, or aspects (touchpoint-level sentiment from aspect labels)")
]
FormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        help="Aspects: wide (a column per aspect coded 1/0/-1/-2, as ASAP) or long (a row per text and "
        "aspect with a polarity label, as SemEval).",
    ),
]
AspectColumn = Annotated[str, typer.Option(help="Aspects, long format: the column naming the aspect.")]
EvaluateTask = Annotated[
    str, typer.Argument(help="sentiment, touchpoints, or aspects (touchpoint-level sentiment on aspect labels)")
]
DataOption = Annotated[
    Path, typer.Option(help="Labelled file: CSV or TSV (UTF-8, GB18030/GBK or Big5, detected), .xlsx, .jsonl or .json.")
]
TextColumn = Annotated[str, typer.Option(help="Column holding the text.")]
LabelColumn = Annotated[str, typer.Option(help="Column holding the label.")]


LabelMapOption = Annotated[
    Path | None,
    typer.Option(
        help="YAML mapping each dataset label to a touchpoint id, a list (the first names the group), or null."
    ),
]
GroupColumn = Annotated[
    str | None, typer.Option(help="Rows sharing this column are one text with several labels (multi-label).")
]


@handle_errors
def train(
    task: TaskArgument,
    data: DataOption,
    out: Annotated[Path, typer.Option(help="Model file to write (e.g. models/sentiment.npz).")],
    text_column: TextColumn = "text",
    label_column: LabelColumn = "label",
    label_map: LabelMapOption = None,
    group_column: GroupColumn = None,
    journey: Annotated[
        str | None,
        typer.Option(
            help="Touchpoints: the journey whose keyword matches join the features (and the label map's targets are checked against)."
        ),
    ] = None,
    embeddings: Annotated[
        str | None,
        typer.Option(
            help="Add sentence embeddings to the n-grams: e5 (most accurate, ~100 texts/s) or use (~1,400 texts/s); "
            "needs pip install 'carlzon\\[embeddings]'."
        ),
    ] = None,
    max_labels: Annotated[
        int, typer.Option(min=2, help="Refuse a label column with more distinct labels than this.")
    ] = 200,
    data_format: FormatOption = "wide",
    aspect_column: AspectColumn = "aspect",
) -> None:
    """Train a sentiment or touchpoint classifier on your labelled feedback; the model file records its data hash and hold-out metrics.

    Example: carlzon train sentiment --data labelled.csv --text-column text --label-column label --out models/sentiment.npz

    Example: carlzon train touchpoints --data tweets.csv --label-column negativereason --label-map map.yaml --journey airline --out models/tp.npz

    Aspects teach touchpoint-level sentiment: a classifier of each touchpoint mention's polarity, used
    by carlzon analyze --aspect-model where the opinion words say nothing.

    Example: carlzon train aspects --data semeval_train.csv --format long --group-column sentence_id --journey catering --label-map examples/label_maps/semeval_restaurant_aspects.yaml --out models/aspects.npz
    """
    from carlzon.analysis.training.labelled import check_label_map, load_label_map
    from carlzon.analysis.training.train import train_model

    mapping = load_label_map(label_map) if label_map is not None else None
    if task == "aspects":
        _train_aspects(
            data,
            journey=journey,
            label_map=mapping,
            out=out,
            data_format=data_format,
            text_column=text_column,
            aspect_column=aspect_column,
            label_column=label_column,
            group_column=group_column,
        )
        return
    resolved = None
    if journey is not None:
        from carlzon.journeys import resolve_journey

        resolved = resolve_journey(journey)
        if mapping is not None:
            check_label_map(mapping, set(), {tp.id for tp in resolved.touchpoints()}, resolved.id)
    kind = f" and {embeddings} embeddings" if embeddings else ""
    with progress_bar(f"Training (character n-grams{kind}, linear SVM): fits") as on_progress:
        model = train_model(
            task,
            data,
            text_column=text_column,
            label_column=label_column,
            out=out,
            group_column=group_column,
            label_map=mapping,
            embeddings=embeddings,
            journey=resolved,
            max_labels=max_labels,
            on_progress=on_progress,
        )
    metrics = model["holdout_metrics"]
    micro = f", micro-F1 {metrics['micro_f1']:.3f}" if "micro_f1" in metrics else ""
    console.print(
        f"trained on {model['n_train']:,} texts ({plain(listed(model['labels']))}); hold-out accuracy "
        f"{metrics['accuracy']:.3f}, macro-F1 {metrics['macro_f1']:.3f}{micro}; saved {plain(out)}"
    )


@handle_errors
def evaluate(
    task: EvaluateTask,
    data: DataOption,
    model: Annotated[
        Path | None, typer.Option(help="Model file from carlzon train (default: the zero-shot default).")
    ] = None,
    text_column: TextColumn = "text",
    label_column: LabelColumn = "label",
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"n", "accuracy", "macro_f1", "per_class"} as JSON.')
    ] = False,
    journey: Annotated[
        str | None,
        typer.Option(help="Touchpoints, zero-shot: the journey (template or YAML) whose taxonomy tags the texts."),
    ] = None,
    label_map: LabelMapOption = None,
    unlabeled: Annotated[
        Path | None,
        typer.Option(
            help="Sentiment, zero-shot: more of your texts (CSV, same text column) to self-train on; labels unused."
        ),
    ] = None,
    group_column: GroupColumn = None,
    data_format: FormatOption = "wide",
    aspect_column: AspectColumn = "aspect",
) -> None:
    """Measure a model (or the zero-shot default) on labelled data: accuracy, macro-F1 and per-class scores.

    Example: carlzon evaluate touchpoints --data tweets.csv --label-column negativereason --journey airline --label-map map.yaml --json

    Aspects measure touchpoint-level sentiment: detection F1 per touchpoint, polarity accuracy of the
    positive and negative aspects found, neutral F1 and the median phrase length. Label maps for ASAP
    and SemEval-2014 ship in examples/label_maps/.

    Example: carlzon evaluate aspects --journey catering --label-map examples/label_maps/asap_aspects.yaml --data asap.csv --format wide --json
    """
    from carlzon.analysis.training.evaluate import evaluate_model, evaluate_touchpoints_zero_shot
    from carlzon.analysis.training.labelled import load_label_map

    mapping = load_label_map(label_map) if label_map is not None else None
    if task == "aspects":
        _evaluate_aspects(
            data,
            journey=journey,
            label_map=mapping,
            data_format=data_format,
            model=model,
            text_column=text_column,
            aspect_column=aspect_column,
            label_column=label_column,
            group_column=group_column,
            as_json=as_json,
        )
        return
    if task == "touchpoints" and model is None:
        if journey is None or mapping is None:
            raise InputError("zero-shot touchpoint evaluation needs --journey and --label-map (or pass --model)")
        from carlzon.journeys import resolve_journey

        report = evaluate_touchpoints_zero_shot(
            data,
            journey=resolve_journey(journey),
            label_map=mapping,
            text_column=text_column,
            label_column=label_column,
            group_column=group_column,
        )
    else:
        report = evaluate_model(
            task,
            data,
            text_column=text_column,
            label_column=label_column,
            model=model,
            unlabeled=unlabeled,
            group_column=group_column,
            label_map=mapping,
        )
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
        return
    micro = f"   micro-F1 {report['micro_f1']:.3f}" if "micro_f1" in report else ""
    console.print(f"n = {report['n']:,}   accuracy {report['accuracy']:.3f}   macro-F1 {report['macro_f1']:.3f}{micro}")
    table = Table()
    for column in ("class", "precision", "recall", "f1", "support"):
        table.add_column(column)
    for name, scores in report["per_class"].items():
        table.add_row(
            plain(name),
            f"{scores['precision']:.3f}",
            f"{scores['recall']:.3f}",
            f"{scores['f1']:.3f}",
            str(scores["support"]),
        )
    console.print(table)


def _train_aspects(data: Path, *, journey: str | None, label_map: dict | None, out: Path, **options) -> None:  # type: ignore[type-arg]
    from carlzon.analysis.training.aspects import train_aspects
    from carlzon.journeys import resolve_journey

    if journey is None or label_map is None:
        raise InputError("aspect training needs --journey and --label-map (examples/label_maps/ has two)")
    with progress_bar("Training aspect polarity (character n-grams, linear SVM): fits") as on_progress:
        model = train_aspects(
            data, journey=resolve_journey(journey), label_map=label_map, out=out, on_progress=on_progress, **options
        )
    metrics = model["holdout_metrics"]
    console.print(
        f"trained on {model['n_train']:,} touchpoint mentions ({plain(listed(model['labels']))}); hold-out "
        f"accuracy {metrics['accuracy']:.3f}, macro-F1 {metrics['macro_f1']:.3f}; saved {plain(out)}"
    )


def _evaluate_aspects(
    data: Path,
    *,
    journey: str | None,
    label_map: dict | None,
    as_json: bool,
    **options,  # type: ignore[type-arg]
) -> None:
    from carlzon.analysis.training.aspects import evaluate_aspects
    from carlzon.journeys import resolve_journey

    if journey is None or label_map is None:
        raise InputError("aspect evaluation needs --journey and --label-map (examples/label_maps/ has two)")
    report = evaluate_aspects(data, journey=resolve_journey(journey), label_map=label_map, **options)
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
        return
    console.print(
        f"n = {report['n']:,}   detection macro-F1 {report['detection_macro_f1']:.3f}   "
        f"polarity accuracy {report['polarity_accuracy']:.3f}   neutral F1 {report['neutral_f1']:.3f}   "
        f"phrase median {report['phrase_chars_median']} characters, {report['phrase_words_median']} words"
    )
    table = Table()
    for column in ("touchpoint", "detection F1", "precision", "recall", "support", "polarity", "polar"):
        table.add_column(column)
    for name, scores in report["per_touchpoint"].items():
        polarity = scores["polarity_accuracy"]
        table.add_row(
            plain(name),
            f"{scores['f1']:.3f}",
            f"{scores['precision']:.3f}",
            f"{scores['recall']:.3f}",
            str(scores["support"]),
            "—" if polarity is None else f"{polarity:.3f}",
            str(scores["polar"]),
        )
    console.print(table)
