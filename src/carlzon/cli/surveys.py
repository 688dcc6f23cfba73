"""`carlzon surveys`: survey definitions a CX manager writes in YAML or JSON and reviews in git."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from carlzon.cli._render import console, handle_errors, open_store, plain, settings_from
from carlzon.cli.common import DatabaseOption, WorkspaceOption

app = typer.Typer(
    help="Surveys at every touchpoint: NPS, CSAT, CES, ratings, choices, open text and the RATER / SERVQUAL "
    "battery, in zh-Hans, zh-Hant and English. See docs/surveys.md.",
    no_args_is_help=True,
)


@app.command("validate")
@handle_errors
def validate(
    file: Annotated[Path, typer.Argument(help="A survey definition, YAML or JSON (docs/surveys.md).")],
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Check a survey file: every problem as file:line: field: message (exit code 2).

    The touchpoint ids are checked against the journey the survey names: the one stored in the
    workspace, else the bundled template of that name.

    Example: carlzon surveys validate catering-visit.yaml
    """
    survey, _journey, checked = _checked(file, workspace, database_url)
    console.print(
        f"[green]ok[/]: {plain(file)} — survey '{plain(survey.id)}', {len(survey.questions)} question(s) in "
        f"{', '.join(survey.languages)}; {checked}"
    )


def _checked(file: Path, workspace: str | None, database_url: str | None):  # type: ignore[no-untyped-def]
    """The survey of ``file`` checked against its journey (surveys.publishing); the file is read once."""
    from carlzon.errors import SurveyFileError
    from carlzon.storage import Store
    from carlzon.surveys.publishing import check_survey_text
    from carlzon.yamlfile import read_definition

    text = read_definition(file, SurveyFileError, "survey file")
    store = Store.from_settings(settings_from(workspace, database_url))
    try:
        checked = check_survey_text(text, source=str(file), store=store)
    finally:
        store.dispose()
    return checked.survey, checked.journey, plain(checked.describe())


@app.command("publish")
@handle_errors
def publish(
    file: Annotated[Path, typer.Argument(help="A survey definition, YAML or JSON (docs/surveys.md).")],
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Check a survey and open it for answers; publishing a changed definition makes its next version.

    Example: carlzon surveys publish catering-visit.yaml
    """
    import getpass

    from carlzon.errors import SurveyFileError
    from carlzon.surveys.publishing import publish_survey_text
    from carlzon.yamlfile import read_definition

    text = read_definition(file, SurveyFileError, "survey file")
    with open_store(workspace, database_url, migrate=True) as store:
        checked, published, changed = publish_survey_text(
            text, source=str(file), store=store, actor=f"cli:{getpass.getuser()}"
        )
    said = "published" if changed else "already published as it is"
    console.print(
        f"{said}: survey '{plain(published.survey.id)}' version {published.version}, open for answers; "
        f"{plain(checked.describe())}"
    )


@app.command("list")
@handle_errors
def list_(
    as_json: Annotated[bool, typer.Option("--json", help="Print the surveys as JSON.")] = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """The published surveys: id, name, status, version, questions, languages.

    Example: carlzon surveys list
    """
    import json

    from rich.table import Table

    with open_store(workspace, database_url) as store:
        surveys = store.list_surveys()
    if as_json:
        rows = [
            {
                "id": p.survey.id,
                "name": p.survey.name.in_(p.survey.default_language),
                "status": p.status,
                "version": p.version,
                "questions": len(p.survey.questions),
                "languages": p.survey.languages,
                "published_at": p.published_at.isoformat(),
                "closed_at": p.closed_at.isoformat() if p.closed_at else None,
            }
            for p in surveys
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return
    if not surveys:
        console.print("No surveys yet; publish one with carlzon surveys publish FILE.")
        return
    table = Table(title=f"{len(surveys)} survey(s)")
    for column in ("id", "name", "status", "version", "questions", "languages", "published"):
        table.add_column(column, no_wrap=column in ("id", "name"))  # the id is what one types next
    for p in surveys:
        table.add_row(
            plain(p.survey.id),
            plain(p.survey.name.in_(p.survey.default_language)),
            p.status,
            str(p.version),
            str(len(p.survey.questions)),
            ", ".join(p.survey.languages),
            p.published_at.strftime("%Y-%m-%d %H:%M"),
        )
    console.print(table)


@app.command("close")
@handle_errors
def close(
    survey_id: Annotated[str, typer.Argument(metavar="ID", help="The survey's id (carlzon surveys list).")],
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Stop a survey taking answers; what was answered stays. Publish it again to reopen it.

    Example: carlzon surveys close catering-visit
    """
    with open_store(workspace, database_url) as store:
        closed = store.close_survey(survey_id)
    console.print(f"closed: survey '{plain(closed.survey.id)}' (version {closed.version}) takes no more answers")


BaseUrlOption = Annotated[
    str | None,
    typer.Option(help="Where customers reach carlzon serve (default: CARLZON_PUBLIC_URL, http://127.0.0.1:8000)."),
]


@app.command("qr")
@handle_errors
def qr(
    survey_id: Annotated[str, typer.Argument(metavar="ID", help="The survey's id (carlzon surveys list).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="qr.png or qr.svg (for print: SVG).")],
    store_name: Annotated[str | None, typer.Option("--store", help="The store it stands in (?store=…).")] = None,
    lang: Annotated[str | None, typer.Option(help="Open the page in zh-Hans, zh-Hant or en (?lang=…).")] = None,
    base_url: BaseUrlOption = None,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """A QR code of the survey's public link, for the table tent or the receipt.

    Example: carlzon surveys qr catering-visit --store "Shanghai Xuhui" --out xuhui.svg
    """
    from carlzon.errors import InputError
    from carlzon.surveys.links import survey_url, write_qr

    if lang is not None and lang not in ("zh-Hans", "zh-Hant", "en"):
        raise InputError(f"--lang {lang!r}: use zh-Hans, zh-Hant or en")
    settings = settings_from(workspace, database_url)
    with open_store(workspace, database_url) as store:
        published = store.get_survey(survey_id)  # a link to a survey that does not exist helps nobody
    if published.status != "open":
        console.print(f"[yellow]note[/]: survey '{plain(survey_id)}' is closed; the code links to a closed survey")
    url = survey_url(base_url or settings.public_url, survey_id, store=store_name, lang=lang)
    write_qr(url, out)
    console.print(f"wrote {plain(out)}: {plain(url)}")


@app.command("links")
@handle_errors
def links(
    survey_id: Annotated[str, typer.Argument(metavar="ID", help="The survey's id (carlzon surveys list).")],
    contacts: Annotated[
        Path,
        typer.Option(help="CSV with a customer id column (customer_id, member_id, 会员号 …) and optionally store."),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="CSV to write: customer_id, store, link.")],
    base_url: BaseUrlOption = None,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Single-use personal links, one per contact; those asked within the survey's contact_every (any survey) are skipped.

    The contacts CSV needs a customer id column (customer_id, customer, member_id, 会员号 or 客户) and may name
    the store (store, location or 门店). Only the links file holds the links: the database keeps their hashes.

    Example: carlzon surveys links catering-visit --contacts customers.csv --out links.csv
    """
    from carlzon.surveys.links import personal_links

    settings = settings_from(workspace, database_url)
    with open_store(workspace, database_url) as store:
        report = personal_links(
            store=store, survey_id=survey_id, contacts=contacts, out=out, base_url=base_url or settings.public_url
        )
    missing = (
        f"; {len(report.without_id)} row(s) without a customer id: {report.without_id[:10]}"
        if report.without_id
        else ""
    )
    console.print(
        f"wrote {report.written:,} link(s) to {plain(out)}; {report.asked_recently:,} contact(s) asked too "
        f"recently skipped{missing}"
    )


@app.command("results")
@handle_errors
def results(
    survey_id: Annotated[str, typer.Argument(metavar="ID", help="The survey's id (carlzon surveys list).")],
    since: Annotated[
        str | None, typer.Option(help="Only responses started since: a span back from now (30d, 12h, 2w) or a date.")
    ] = None,
    location: Annotated[str | None, typer.Option("--store", help="Only the responses of this store.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """A survey's results: NPS, CSAT and CES with 95 % intervals (sound at small n), per question
    and touchpoint and per store; the RATER gap and Cronbach's α per dimension; the choices; the
    response rate of personal links; and the themes of the open answers (from `carlzon analyze`).

    Example: carlzon surveys results catering-visit --since 30d

    Example: carlzon surveys results catering-visit --store S12 --json
    """
    import json

    from carlzon.actions.service import parse_since
    from carlzon.surveys.results import survey_results

    start = parse_since(since)
    with open_store(workspace, database_url) as store:
        found = survey_results(store, survey_id, since=start, location=location)
        stores = [] if found.completed or location is None else _stores_with_answers(store, survey_id)
    if as_json:
        print(json.dumps(found.to_dict(), ensure_ascii=False))
        return
    _print_results(found)
    if stores:
        console.print(f"stores with answers: {', '.join(plain(s) for s in stores)}")


def _stores_with_answers(store, survey_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The stores the survey's sent answers came from (what --store can name)."""
    frame = store.survey_responses_frame(survey_id)
    sent = frame[frame["status"] == "complete"]
    return sorted({str(place) for place in sent["location"].dropna()})


def _interval(low: float | None, high: float | None) -> str:
    return "" if low is None or high is None else f"[{low:g}, {high:g}]"


def _print_results(found) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table

    rate = f", {found.completion_rate:.0%} of those who started" if found.completion_rate is not None else ""
    links = (
        f"; personal links: {found.links_used:,} of {found.links_issued:,} answered ({found.response_rate:.0%})"
        if found.links_issued
        else ""
    )
    where = f" at store {plain(found.location)}" if found.location else ""
    where += f", responses since {found.since[:16].replace('T', ' ')}" if found.since else ""
    console.print(
        f"survey '{plain(found.survey_id)}' (version {found.version}, {found.status}){where}: "
        f"{found.completed:,} response(s) sent{rate}{links}"
    )
    if not found.completed:
        if found.location or found.since:
            console.print("No answers in this selection: try without --store / --since (carlzon surveys results ID).")
        else:
            console.print("No answers yet: share the link or QR code (carlzon surveys qr ID).")
        return
    scores = Table(title="Scores (95 % intervals)")
    for column in ("question", "touchpoint", "measure", "n", "value", "interval"):
        scores.add_column(column)
    for s in found.scores:
        value = "" if s.value is None else f"{s.value:g}"
        scores.add_row(
            plain(s.question), plain(s.touchpoint or ""), s.measure, str(s.n), value, _interval(s.low, s.high)
        )
    console.print(scores)
    if len(found.by_store) > 1:
        stores = Table(title="Per store")
        keys = [k for k in found.by_store[0] if k not in ("store", "responses")]
        for column in ("store", "responses", *keys):
            stores.add_column(column)
        for row in found.by_store:
            cells = [row[k]["value"] if row[k] else None for k in keys]
            stores.add_row(
                plain(row["store"] or "(none)"), str(row["responses"]), *("" if c is None else f"{c:g}" for c in cells)
            )
        console.print(stores)
    for question, counts in found.choices.items():
        console.print(f"{plain(question)}: " + ", ".join(f"{plain(k)} {v}" for k, v in counts.items()))
    if found.rater:
        rater = Table(title="RATER / SERVQUAL (1-7)")
        for column in ("dimension", "n", "perception", "expectation", "gap", "interval", "α perception"):
            rater.add_column(column)
        for d in found.rater:
            rater.add_row(
                d["dimension"],
                str(d["n"]),
                "" if d["perception"] is None else f"{d['perception']:g}",
                "" if d["expectation"] is None else f"{d['expectation']:g}",
                "" if d["gap"] is None else f"{d['gap']:g}",
                _interval(d["gap_low"], d["gap_high"]),
                "" if d["alpha_perception"] is None else f"{d['alpha_perception']:g}",
            )
        console.print(rater)
        console.print(
            "α under 0.7: a dimension's items do not measure one thing consistently here (few answers, or "
            "items respondents read differently); read its gap with care."
        )
    if found.themes:
        themes = Table(title="Themes of the open answers (carlzon analyze)")
        for column in ("touchpoint", "mentions", "negative", "sentiment", "example"):
            themes.add_column(column)
        for t in found.themes:
            themes.add_row(
                plain(t["touchpoint_id"]),
                str(t["mentions"]),
                str(t["negative"]),
                f"{t['sentiment']:+.2f}",
                plain(t["examples"][0] if t["examples"] else ""),
            )
        console.print(themes)
