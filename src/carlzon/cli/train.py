"""`carlzon train` and `carlzon evaluate`: models from the user's own labelled feedback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from carlzon.cli._render import console, handle_errors
from carlzon.errors import InputError

TaskArgument = Annotated[str, typer.Argument(help="sentiment or touchpoints")]
DataOption = Annotated[Path, typer.Option(help="Labelled CSV.")]
TextColumn = Annotated[str, typer.Option(help="Column holding the text.")]
LabelColumn = Annotated[str, typer.Option(help="Column holding the label.")]


@handle_errors
def train(
    task: TaskArgument,
    data: DataOption,
    out: Annotated[Path, typer.Option(help="Model file to write (e.g. models/sentiment.joblib).")],
    text_column: TextColumn = "text",
    label_column: LabelColumn = "label",
) -> None:
    """Train a sentiment or touchpoint classifier on your labelled feedback; the model file records its data hash and hold-out metrics.

    Example: carlzon train sentiment --data labelled.csv --text-column text --label-column label --out models/sentiment.joblib
    """
    from carlzon.analysis.trained import train_model

    with console.status("Training (character and word n-grams, linear SVM)…"):
        model = train_model(task, data, text_column=text_column, label_column=label_column, out=out)
    metrics = model["holdout_metrics"]
    console.print(
        f"trained on {model['n_train']:,} texts ({', '.join(model['labels'])}); hold-out accuracy "
        f"{metrics['accuracy']:.3f}, macro-F1 {metrics['macro_f1']:.3f}; saved {out}"
    )


@handle_errors
def evaluate(
    task: TaskArgument,
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
    label_map: Annotated[
        Path | None,
        typer.Option(
            help="Touchpoints, zero-shot: YAML mapping each dataset label to a touchpoint id, a list, or null."
        ),
    ] = None,
    unlabeled: Annotated[
        Path | None,
        typer.Option(
            help="Sentiment, zero-shot: more of your texts (CSV, same text column) to self-train on; labels unused."
        ),
    ] = None,
    group_column: Annotated[
        str | None,
        typer.Option(help="Touchpoints, zero-shot: rows sharing this column are one text with several labels."),
    ] = None,
) -> None:
    """Measure a model (or the zero-shot default) on labelled data: accuracy, macro-F1 and per-class scores.

    Example: carlzon evaluate touchpoints --data tweets.csv --label-column negativereason --journey airline --label-map map.yaml --json
    """
    from carlzon.analysis.touchpoint_eval import evaluate_touchpoints_zero_shot
    from carlzon.analysis.trained import evaluate_model

    if task == "touchpoints" and model is None:
        if journey is None or label_map is None:
            raise InputError("zero-shot touchpoint evaluation needs --journey and --label-map (or pass --model)")
        import yaml

        from carlzon.journeys import resolve_journey

        if not label_map.exists():
            raise InputError(f"label map {label_map} does not exist")
        report = evaluate_touchpoints_zero_shot(
            data,
            journey=resolve_journey(journey),
            label_map=yaml.safe_load(label_map.read_text(encoding="utf-8")),
            text_column=text_column,
            label_column=label_column,
            group_column=group_column,
        )
    else:
        report = evaluate_model(
            task, data, text_column=text_column, label_column=label_column, model=model, unlabeled=unlabeled
        ).as_dict()
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
            name, f"{scores['precision']:.3f}", f"{scores['recall']:.3f}", f"{scores['f1']:.3f}", str(scores["support"])
        )
    console.print(table)
