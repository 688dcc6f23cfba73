"""`carlzon journey-map`, `mot rank`, `drivers`, `funnel` and `review`: the moments of truth."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from carlzon.cli._render import console, err_console, handle_errors, load_modules, open_store, plain
from carlzon.cli.common import DatabaseOption, WorkspaceOption
from carlzon.errors import InputError

JourneyOption = Annotated[str, typer.Option("--journey", "-j", help="Id of a stored, analysed journey.")]
BrandOption = Annotated[str | None, typer.Option(help="Brand to look at (default: the one with most feedback).")]


def _fmt(value: float, spec: str = "+.2f") -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else format(value, spec)


AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON (the web API's shape).")]


@handle_errors
def journey_map(
    journey: JourneyOption = "catering",
    brand: BrandOption = None,
    as_json: AsJson = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Show the journey map: per touchpoint in journey order, mentions, sentiment with its interval, emotions, NPS; and the peak, trough and end moments.

    Example: carlzon journey-map --journey catering --brand "Red Lantern 红灯笼"
    """
    load_modules("carlzon.mot.service")  # heavy: imported when the command runs
    from carlzon.mot.service import analyse_moments

    with open_store(workspace, database_url) as store:
        moments = analyse_moments(store=store, journey_id=journey, brand=brand)
    jm = moments.journey_map
    if as_json:
        print(json.dumps(jm.to_dict() | {"brand": moments.brand}, ensure_ascii=False, indent=2))
        return
    marks = {jm.peak: "PEAK", jm.trough: "TROUGH", jm.end: "END"}
    table = Table(title=f"{plain(moments.journey.name.en)} — {plain(moments.brand)} ({moments.records:,} records)")
    for column in (
        "stage",
        "touchpoint",
        "mentions",
        "share",
        "sentiment (95% CI)",
        "negative",
        "poor/neutral/happy/surprised",
        "NPS (n)",
        "",
    ):
        table.add_column(column, justify="right" if column in ("mentions", "share", "negative") else "left")
    for r in jm.table.itertuples():
        emotions = "/".join(_fmt(getattr(r, e), ".0%") for e in ("poor", "neutral", "happy", "surprised"))
        table.add_row(
            plain(r.stage_en),
            plain(f"{r.name_en} · {r.name_zh}"),
            str(r.mentions),
            _fmt(r.share, ".1%"),
            f"{_fmt(r.sentiment)} ({_fmt(r.sentiment_low)} … {_fmt(r.sentiment_high)})",
            _fmt(r.negative_share, ".0%"),
            emotions,
            f"{_fmt(r.nps, '+.0f')} ({r.nps_n})",
            marks.get(r.touchpoint_id, ""),
        )
    console.print(table)
    console.print(
        f"peak: {plain(jm.peak)}   trough: {plain(jm.trough)}   end: {plain(jm.end)}   "
        f"(at least {jm.min_mentions} mentions)"
    )


mot_app = typer.Typer(help="Moments of truth: rank the few touchpoints that decide loyalty.", no_args_is_help=True)


@mot_app.command("rank")
@handle_errors
def mot_rank(
    journey: JourneyOption = "catering",
    brand: BrandOption = None,
    weights: Annotated[
        str | None, typer.Option(help="Criterion weights, e.g. trough=0.4,impact=0.3 (others keep their defaults).")
    ] = None,
    as_json: AsJson = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Rank moments of truth: all candidates → focused list → at most 10, with the reason for every rank and cut.

    Example: carlzon mot rank --journey airline --brand "Virgin America"
    """
    load_modules("carlzon.mot.service")  # heavy: imported when the command runs
    from carlzon.mot.prioritise import MotWeights
    from carlzon.mot.service import analyse_moments

    parsed = MotWeights.parse(weights) if weights else None
    with open_store(workspace, database_url) as store:
        moments = analyse_moments(store=store, journey_id=journey, brand=brand, weights=parsed)
    ranking = moments.ranking
    if as_json:
        print(json.dumps(ranking.to_dict(), ensure_ascii=False, indent=2))
        return
    console.print(
        f"[bold]{ranking.candidates}[/] candidates → [bold]{ranking.focused}[/] focused → "
        f"[bold]{len(ranking.moments)}[/] moments of truth for {plain(ranking.brand)}"
    )
    table = Table()
    for column in ("#", "touchpoint", "owner", "priority", "why", "funnel"):
        table.add_column(column, overflow="fold")
    for m in ranking.all():
        stage = "[bold green]moment of truth[/]" if m.stage == "moment" else plain(f"{m.stage}: {m.cut_reason}")
        table.add_row(
            str(m.rank),
            plain(f"{m.name_en} · {m.name_zh}"),
            plain(m.owner),
            f"{m.priority:.2f}",
            plain("\n".join(m.reasons)),
            stage,
        )
    console.print(table)


@handle_errors
def drivers(
    journey: JourneyOption = "catering",
    brand: BrandOption = None,
    as_json: AsJson = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Key drivers of likelihood to recommend: Johnson's relative weights with bootstrap intervals, R², and the importance–performance quadrant of each touchpoint.

    Example: carlzon drivers --journey catering
    """
    load_modules("carlzon.mot.service")  # heavy: imported when the command runs
    from carlzon.mot.service import analyse_moments

    with open_store(workspace, database_url) as store:
        moments = analyse_moments(store=store, journey_id=journey, brand=brand)
    if moments.drivers is None:
        raise InputError(f"no key-driver analysis for {moments.brand}: {moments.drivers_note}")
    analysis = moments.drivers
    if as_json:
        print(json.dumps(analysis.to_dict() | {"brand": moments.brand}, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Key drivers of NPS for {plain(moments.brand)}: R² = {analysis.r2:.2f}, n = {analysis.n:,}")
    for column in ("touchpoint", "share of R²", "weight (95% CI)", "performance", "quadrant"):
        table.add_column(column, overflow="fold")
    for d in analysis.drivers:
        table.add_row(
            plain(d.name),
            f"{d.share:.0%}",
            f"{d.weight:.3f} ({d.low:.3f} … {d.high:.3f})",
            f"{d.performance:+.2f}",
            d.quadrant,
        )
    console.print(table)
    if analysis.resamples_skipped:
        console.print(
            f"{analysis.resamples_skipped} of the bootstrap resamples drew one NPS value only "
            "(most answers alike) and were left out of the intervals."
        )


@handle_errors
def funnel(
    tree: Annotated[Path, typer.Option(help="Metric tree or funnel YAML.")],
    data: Annotated[Path, typer.Option(help="CSV of daily values: a date column and one column per leaf or step.")],
    journey: Annotated[
        str | None,
        typer.Option("--journey", "-j", help="Also show the weakest link's touchpoints from this analysed journey."),
    ] = None,
    brand: BrandOption = None,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Find the weakest link of a goal metric's chain (a metric tree or a funnel) and walk down to its touchpoints.

    Example: carlzon funnel --tree store_funnel.yaml --data store_funnel_daily.csv --journey catering
    """
    import pandas as pd

    from carlzon.metrics.tree import evaluate_tree, load_tree

    if not data.exists():
        raise InputError(f"daily metrics file {data} does not exist")
    result = evaluate_tree(load_tree(tree), pd.read_csv(data))
    table = Table(
        title=f"{plain(result.goal)}: {result.goal_actual:,.2f} a day"
        + (f" against {result.goal_target:,.2f}" if result.goal_target else "")
        + f" ({result.days} days)"
    )
    for column in ("link", "actual", "target", "vs target", "first half → second half", "touchpoints"):
        table.add_column(column, overflow="fold")
    for link in result.links:
        mark = " [bold red]← weakest[/]" if result.weakest and link.name == result.weakest.name else ""
        table.add_row(
            plain(link.name) + mark,
            f"{link.actual:,.3f}",
            _fmt(link.target, ",.3f"),
            _fmt(None if link.ratio is None else 100 * (link.ratio - 1), "+.0f") + "%",
            f"{link.first_half:,.3f} → {link.second_half:,.3f}",
            plain(", ".join(link.touchpoints)),
        )
    console.print(table)
    if result.weakest and journey:
        from carlzon.mot.service import analyse_moments

        with open_store(workspace, database_url) as store:
            moments = analyse_moments(store=store, journey_id=journey, brand=brand)
        rows = moments.journey_map.table.set_index("touchpoint_id")
        ranks = {m.touchpoint_id: m.rank for m in moments.ranking.all()}
        for tp in sorted(result.weakest.touchpoints, key=lambda t: ranks.get(t, 999)):
            if tp in rows.index:
                r = rows.loc[tp]
                console.print(
                    f"  {plain(tp)}: MOT rank {ranks.get(tp, '–')}, {r['negative_share']:.0%} negative, "
                    f"sentiment {r['sentiment']:+.2f} over {r['mentions']} mentions"
                )


review_app = typer.Typer(invoke_without_command=True)


@review_app.callback()
@handle_errors
def review(
    ctx: typer.Context,
    journey: JourneyOption = "catering",
    brand: BrandOption = None,
    as_json: AsJson = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Review every recorded improvement: the touchpoint's numbers and NPS before and after, with significance, against a control.

    Example: carlzon review --journey catering
    """
    if ctx.invoked_subcommand is not None:
        return
    from carlzon.mot.improvements import reviews_so_far

    with open_store(workspace, database_url) as store:
        results, pending = reviews_so_far(store=store, journey_id=journey, brand=brand)
    for reason in pending:  # a young improvement waits for feedback; it does not hide the others
        err_console.print(f"[yellow]not yet reviewed:[/] {plain(reason)}", highlight=False)
    if as_json:
        print(json.dumps([result.to_dict() for result in results], ensure_ascii=False, indent=2))
        return
    if not results and pending:
        return
    if not results:
        console.print("no improvements recorded; add one with: carlzon review add --touchpoint ... --date ...")
        return
    for result in results:
        colour = "green" if result.worked else "red"
        console.print(f"[bold]{result.improvement.id}. {plain(result.improvement.description)}[/]")
        console.print(f"[{colour}]{plain(result.summary)}[/]")
        table = Table(show_header=True)
        for column in ("measure", "before (n)", "after (n)", "change (95% CI)", "p", "test"):
            table.add_column(column, overflow="fold")
        for c in result.comparisons:
            table.add_row(
                plain(c.measure),
                f"{_fmt(c.before)} ({c.n_before})",
                f"{_fmt(c.after)} ({c.n_after})",
                f"{_fmt(c.change)} ({_fmt(c.low)} … {_fmt(c.high)})",
                _fmt(c.p_value, ".3g"),
                c.test,
            )
        console.print(table)
        for note in result.notes:
            console.print(f"[dim]note: {plain(note)}[/]")


@review_app.command("add")
@handle_errors
def review_add(
    touchpoint: Annotated[str, typer.Option(help="Touchpoint id that was changed.")],
    date: Annotated[str, typer.Option(help="First day of the change, e.g. 2026-10-10.")],
    description: Annotated[str, typer.Option(help="What was changed.")],
    brand: Annotated[str, typer.Option(help="Brand that made the change.")] = "own",
    cost: Annotated[float | None, typer.Option(help="What it cost (same scale as touchpoint costs).")] = None,
    location: Annotated[
        list[str] | None,
        typer.Option(help="Where it was changed (repeatable); the other locations become the control."),
    ] = None,
    journey: JourneyOption = "catering",
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Record an improvement at a touchpoint so `carlzon review` can judge it.

    Example: carlzon review add --touchpoint serving_time --date 2026-10-10 --description "Kitchen display" --location "Shanghai Xuhui"
    """
    from carlzon.mot.improvements import add_improvement

    with open_store(workspace, database_url) as store:
        saved = add_improvement(
            store=store,
            journey_id=journey,
            touchpoint_id=touchpoint,
            started_on=date,
            description=description,
            brand=brand,
            cost=cost,
            locations=location or [],
        )
    console.print(f"recorded improvement {saved.id}; judge it with: carlzon review --journey {plain(journey)}")


@handle_errors
def scores(
    by: Annotated[
        str, typer.Option(help="touchpoint_id, stage_id, channel, brand, location, month or week.")
    ] = "channel",
    journey: JourneyOption = "catering",
    brand: BrandOption = None,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """NPS, CSAT, CES, star rating and sentiment, each with its 95% interval, cut by any dimension.

    Example: carlzon scores --by month --brand "Red Lantern 红灯笼"
    """
    from carlzon.metrics.service import score_cuts

    with open_store(workspace, database_url) as store:
        frame = score_cuts(store=store, journey_id=journey, by=by, brand=brand)
    table = Table(title=f"Scores by {by}")
    columns = [c for c in ("nps", "csat", "ces", "rating", "sentiment") if c in frame]
    for column in (by, "records", *columns, "negative"):
        table.add_column(column, overflow="fold")
    for r in frame.to_dict("records"):
        cells = [plain(r[by]), f"{r['records']:,}"]
        for c in columns:
            cells.append(
                f"{_fmt(r.get(c), '+.1f' if c != 'sentiment' else '+.2f')} "
                f"({_fmt(r.get(c + '_low'), '.1f' if c != 'sentiment' else '+.2f')} … "
                f"{_fmt(r.get(c + '_high'), '.1f' if c != 'sentiment' else '+.2f')})"
            )
        cells.append(_fmt(r.get("negative_share"), ".0%"))
        table.add_row(*cells)
    console.print(table)
