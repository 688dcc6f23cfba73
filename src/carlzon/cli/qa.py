"""`carlzon qa`: service-conversation QA — EOAC steps and ABC behaviour of transcripts, scored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from carlzon.cli._render import console, handle_errors, plain

app = typer.Typer(
    help="Service-conversation QA: score transcripts on EOAC (Explore, Offer, Act, Confirm) and ABC behaviour.",
    no_args_is_help=True,
)
DataOption = Annotated[
    Path,
    typer.Option(
        help="Conversations: JSON Lines (one a line, turns [{role|sender, text}, …]) or CSV with one row per "
        "utterance (conversation_id, role|speaker, text; optional timestamp, agent, team, channel)."
    ),
]


@app.command("score")
@handle_errors
def score(
    data: DataOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per conversation.")] = False,
) -> None:
    """Score each conversation 0-100 with the EOAC steps taken and missed, and why.

    Example: carlzon qa score --data chats.jsonl
    """
    from carlzon.serviceqa.feelings import last_customer_sentiments
    from carlzon.serviceqa.files import load_conversations
    from carlzon.serviceqa.scoring import score_conversation

    conversations = load_conversations(data)
    scores = [
        score_conversation(conversation, feeling)
        for conversation, feeling in zip(conversations, last_customer_sentiments(conversations), strict=True)
    ]
    if as_json:
        for result in scores:
            print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    table = Table(title=f"{len(scores):,} conversations")
    for column in ("conversation", "score", "steps taken", "missing", "why"):
        table.add_column(column)
    for result in scores:
        table.add_row(
            plain(result.conversation_id),
            f"{result.score:.0f}",
            ", ".join(result.steps) or "—",
            ", ".join(result.missing) or "—",
            plain("; ".join(result.reasons)) or "—",
        )
    console.print(table)


@app.command("evaluate")
@handle_errors
def evaluate(
    data: DataOption,
    model: Annotated[
        Path | None, typer.Option(help="A model from carlzon qa train: its predictions of A / S / E are measured.")
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help='Print {"n", "spearman": {"A", "S", "E"}, "nugget_macro_f1", "per_nugget"}.'),
    ] = False,
) -> None:
    """Measure the conversation score against annotators' A / S / E judgements (Spearman) and the
    per-turn nugget types, on dialogues with quality_mean and nugget_majority (NTCIR STC-3).

    Example: carlzon qa evaluate --data ../shared/datasets/stc3_helpdesk_dialogues/dialogues_zh.jsonl --json
    """
    from carlzon.serviceqa.evaluate import evaluate_conversations

    report = evaluate_conversations(data, model)
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
        return
    spearman = report["spearman"]
    console.print(
        f"n = {report['n']:,}   Spearman A {spearman['A']:.3f}   S {spearman['S']:.3f}   E {spearman['E']:.3f}   "
        f"nugget macro-F1 {report['nugget_macro_f1']:.3f}"
    )
    table = Table()
    table.add_column("nugget")
    table.add_column("F1")
    for name, f1 in report["per_nugget"].items():
        table.add_row(name, f"{f1:.3f}")
    console.print(table)


@app.command("train")
@handle_errors
def train(
    data: DataOption,
    out: Annotated[Path, typer.Option(help="Model file to write (e.g. models/qa.npz).")],
) -> None:
    """Learn your team's QA scores (quality_mean: A, S, E) from scored conversations; prints the
    five-fold cross-validated Spearman of each before saving the model fitted on everything.

    Example: carlzon qa train --data scored_chats.jsonl --out models/qa.npz
    """
    from carlzon.serviceqa.training import train_qa

    with console.status("Training (five folds, then the whole set)"):
        meta = train_qa(data, out)
    folds = "   ".join(f"{name} {value:.3f}" for name, value in meta["cv_spearman"].items())
    nuggets = meta.get("cv_nugget_macro_f1")
    said = f"; nugget macro-F1 {nuggets:.3f}" if nuggets is not None else ""
    console.print(f"trained on {meta['n_train']:,} conversations; 5-fold Spearman {folds}{said}; saved {plain(out)}")
