"""`carlzon train` and `carlzon evaluate`: models from the user's own labelled feedback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from carlzon.cli._render import console, handle_errors

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
) -> None:
    """Measure a model (or the zero-shot default) on labelled data: accuracy, macro-F1 and per-class scores.

    Example: carlzon evaluate sentiment --model models/sentiment.joblib --data test.csv --json
    """
    from carlzon.analysis.trained import evaluate_model

    result = evaluate_model(task, data, text_column=text_column, label_column=label_column, model=model)
    if as_json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    console.print(f"n = {result.n:,}   accuracy {result.accuracy:.3f}   macro-F1 {result.macro_f1:.3f}")
    table = Table()
    for column in ("class", "precision", "recall", "f1", "support"):
        table.add_column(column)
    for name, scores in result.per_class.items():
        table.add_row(
            name, f"{scores['precision']:.3f}", f"{scores['recall']:.3f}", f"{scores['f1']:.3f}", str(scores["support"])
        )
    console.print(table)
