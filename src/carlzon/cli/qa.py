"""`carlzon qa`: service-conversation QA — EOAC steps and ABC behaviour of transcripts, scored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from carlzon.cli._render import console, handle_errors, open_store, plain
from carlzon.cli.common import DatabaseOption, WorkspaceOption

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


@app.command("import")
@handle_errors
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="Transcripts: CSV / TSV / Excel with one row per utterance, or JSON Lines with one conversation "
            "a line and its turns in a list."
        ),
    ],
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="FIELD=COLUMN, repeatable. Fields: conversation_id, role, text, timestamp, agent, team, channel, "
            "store, customer_id, brand, appearance (a store audit's finding); unmapped ones are found by name "
            "(conversation_id / speaker / message …).",
        ),
    ] = None,
    channel: Annotated[
        str | None, typer.Option(help="Channel of every conversation (call_centre, chat, social, email); default chat.")
    ] = None,
    brand: Annotated[str | None, typer.Option(help="Brand of every conversation (default own).")] = None,
    timezone: Annotated[
        str | None, typer.Option(help="Time zone of times written without one (default UTC), e.g. Asia/Shanghai.")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Force the encoding: utf-8, gb18030, gbk, big5 … (default: detected).")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv, tsv, xlsx, jsonl or json (default: from the name).")
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Name this source for de-duplication (default: the file name).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as one JSON object.")] = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Import service conversations, redacted, each scored on EOAC and ABC as it comes in.

    Each conversation is imported once per source; one with a bad row is held in the quarantine
    whole (carlzon quarantine list) until the row is fixed and the file imported again. Its
    customer's words become a feedback record too, so analyze and the rules see them
    (a rule can say when: {qa.missing_step: confirm}).

    Example: carlzon qa import calls.csv --map conversation_id=call_no --map role=speaker --channel call_centre
    """
    from carlzon.ingest.service import check_feedback_file
    from carlzon.serviceqa.columns import ConversationMapping
    from carlzon.serviceqa.intake import import_conversations

    mapping = ConversationMapping.from_options(map_, channel=channel, brand=brand, timezone=timezone)
    check_feedback_file(file)
    with open_store(workspace, database_url, migrate=True) as store, console.status("Importing conversations"):
        report = import_conversations(file, store=store, mapping=mapping, source=source, encoding=encoding, fmt=fmt)
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    mean = f"; mean score {report.mean_score:.0f}" if report.mean_score is not None else ""
    console.print(
        f"{plain(report.source)}: {report.rows:,} turns read; {report.imported:,} conversation(s) imported, "
        f"{report.duplicates:,} already there, {report.held:,} held back ({report.quarantined:,} quarantine entries)"
        f"{mean} in {report.seconds:.1f}s"
    )
    if report.quarantined:
        console.print(f"See why: carlzon quarantine list --source {plain(report.source)}")


@app.command("report")
@handle_errors
def report(
    agent: Annotated[str | None, typer.Option(help="Only this agent's conversations.")] = None,
    team: Annotated[str | None, typer.Option(help="Only this team's conversations.")] = None,
    since: Annotated[str | None, typer.Option(help="Only conversations since: 30d, 2w, 12h or a date.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the coaching report as one JSON object.")] = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Coaching: EOAC step completion per team and agent against everyone, the most-missed step
    with examples, the weekly score and the conversations to look at again.

    Example: carlzon qa report --team "Hotline B" --since 30d
    """
    from carlzon.actions.service import parse_since
    from carlzon.errors import InputError
    from carlzon.serviceqa.coaching import coaching

    if agent and team:
        raise InputError("give --agent or --team, not both")
    with open_store(workspace, database_url) as store:
        result = coaching(store=store, agent=agent, team=team, since=parse_since(since))
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    if not result.scoped.n:
        if (agent or team) and result.whole.n:
            from carlzon.errors import NotFoundError

            raise NotFoundError(
                f"no conversations of {'agent ' + agent if agent else 'team ' + str(team)}"
                f"{' since ' + since if since else ''}; see the names with carlzon qa report"
            )
        console.print("No conversations in scope; import some with carlzon qa import FILE.")
        return
    _print_coaching(result)


def _print_coaching(result) -> None:  # type: ignore[no-untyped-def]
    from carlzon.serviceqa.models import STEPS

    console.print(
        f"[bold]{plain(result.scope)}[/]: {result.scoped.n:,} conversations, mean score {result.scoped.mean_score:.0f} "
        f"(everyone {result.whole.mean_score:.0f}); most missed: [bold]{result.most_missed or 'nothing'}[/]"
    )
    table = Table(title="EOAC steps taken (share of conversations)")
    table.add_column("team / agent")
    table.add_column("n", justify="right")
    table.add_column("score", justify="right")
    for step in STEPS:
        table.add_column(step, justify="right")
    table.add_column("most missed")
    for label, rows in (("team", result.teams), ("agent", result.agents)):
        for rates in rows:
            table.add_row(
                f"{label} {plain(rates.name)}",
                f"{rates.n:,}",
                f"{rates.mean_score:.0f}",
                *(_rate(rates.rates[s], result.whole.rates[s]) for s in STEPS),
                rates.most_missed or "—",
            )
    whole = result.whole
    table.add_row(
        "everyone",
        f"{whole.n:,}",
        f"{whole.mean_score:.0f}",
        *(f"{whole.rates[s]:.0%}" for s in STEPS),
        whole.most_missed or "—",
    )
    console.print(table)
    for example in result.examples:
        console.print(
            f"  {plain(example.conversation_id)} ({plain(example.agent or '—')}, score {example.score:.0f}): agent "
            f'"{plain(example.agent_said[:80])}" — customer "{plain(example.customer_said[:80])}"'
        )
    _print_abc(result.abc)
    if result.trend:
        console.print(
            "Weekly score: " + "  ".join(f"{w['week']} {w['mean_score']:.0f} (n {w['n']})" for w in result.trend[-8:])
        )
    look = Table(title="A second look: the lowest scores")
    for column in ("conversation", "agent", "team", "score", "why"):
        look.add_column(column)
    for item in result.second_look:
        look.add_row(
            plain(item.conversation_id),
            plain(item.agent or "—"),
            plain(item.team or "—"),
            f"{item.score:.0f}",
            plain("; ".join(item.reasons)) or "—",
        )
    console.print(look)


def _rate(value: float, whole: float) -> str:
    """A rate, red when it is 10 points or more under everyone's."""
    text = f"{value:.0%}"
    return f"[red]{text}[/]" if value <= whole - 0.10 else text


def _print_abc(abc: dict) -> None:  # type: ignore[type-arg]
    """One line: appearance (audited, or not in a transcript), behaviour shares, communication."""
    communication = abc["communication"]
    wait = (
        f"median wait {communication['median_wait_seconds']:.0f}s, "
        f"{communication['slow_answer_share']:.0%} waited 10 min or more"
        if communication["timed"]
        else "no times in the export"
    )
    appearance = abc["appearance"]["said"] or f"{abc['appearance']['audited']:,} with a store audit"
    behaviour = abc["behaviour"]
    console.print(
        f"ABC — appearance: {appearance}; behaviour: brush-off {behaviour['brush_off']:.0%}, blame "
        f"{behaviour['blame']:.0%}, apology {behaviour['apology']:.0%}; communication: {wait}, asked again "
        f"{communication['asked_again_share']:.0%}, in-house words {communication['jargon_share']:.0%}"
    )
