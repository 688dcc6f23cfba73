"""`carlzon journeys`: list, show, validate and load customer journeys."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.tree import Tree

from carlzon.cli._render import console, handle_errors, open_store, plain, settings_from
from carlzon.cli.common import DatabaseOption, WorkspaceOption

if TYPE_CHECKING:
    from carlzon.journeys import Journey

app = typer.Typer(
    help="Customer journeys: stages → touchpoints, with owners, moments, promises and keyword taxonomies.",
    no_args_is_help=True,
)

_MOMENT_STYLE = {"zero": "magenta", "first": "cyan", "second": "green", "ultimate": "yellow"}


@app.command("list")
@handle_errors
def list_(workspace: WorkspaceOption = None, database_url: DatabaseOption = None) -> None:
    """List the bundled industry templates and the journeys stored in the database.

    Example: carlzon journeys list
    """
    from carlzon.journeys import list_templates
    from carlzon.storage import Store

    console.print("[bold]templates:[/] " + ", ".join(list_templates()))
    store = Store.from_settings(settings_from(workspace, database_url))
    try:
        if not store.is_initialised():  # never creates a database just to say there is none
            console.print("[bold]stored:[/] none (no database yet; run: carlzon journeys load catering)")
            return
        console.print("[bold]stored:[/] " + (", ".join(store.list_journey_ids()) or "none"))
    finally:
        store.dispose()


@app.command()
@handle_errors
def show(
    journey: Annotated[
        str, typer.Argument(help="Template name, path to a YAML file, or id of a stored journey.")
    ] = "catering",
    keywords: Annotated[bool, typer.Option("--keywords", "-k", help="Also list each touchpoint's keywords.")] = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Print a journey as a tree: stages, then touchpoints with owner, moment and promise.

    Example: carlzon journeys show airline --keywords
    """
    console.print(_tree(_find(journey, workspace, database_url), keywords))


@app.command()
@handle_errors
def validate(
    file: Annotated[Path, typer.Argument(help="Journey YAML file to check.")],
) -> None:
    """Check a journey YAML file; every problem is reported with its file, line and field (exit code 2).

    Example: carlzon journeys validate my_journey.yaml
    """
    from carlzon.journeys import load_journey_file

    loaded = load_journey_file(file)
    console.print(
        f"[green]ok[/]: {plain(file)} — journey '{plain(loaded.id)}', {len(loaded.stages)} stages, "
        f"{len(loaded.touchpoints())} touchpoints"
    )


@app.command()
@handle_errors
def load(
    journey: Annotated[
        str, typer.Argument(help="Template name (catering, airline, hotel, retail, ecommerce) or YAML file.")
    ],
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Validate a journey and store it in the database (replacing a stored one with the same id).

    Example: carlzon journeys load hotel
    """
    from carlzon.journeys import load_journey_file, load_template
    from carlzon.journeys.templates import TEMPLATE_NAMES

    loaded = load_template(journey) if journey in TEMPLATE_NAMES else load_journey_file(Path(journey))
    with open_store(workspace, database_url, migrate=True) as store:
        store.save_journey(loaded)
    console.print(f"stored journey '{plain(loaded.id)}' ({len(loaded.touchpoints())} touchpoints)")


def _find(name: str, workspace: str | None, database_url: str | None) -> Journey:
    from carlzon.journeys import load_journey_file, load_template
    from carlzon.journeys.templates import TEMPLATE_NAMES

    if Path(name).is_file():
        return load_journey_file(Path(name))
    if name in TEMPLATE_NAMES:
        return load_template(name)
    with open_store(workspace, database_url) as store:
        return store.get_journey(name)


def _tree(journey: Journey, keywords: bool) -> Tree:
    root = Tree(
        f"[bold]{plain(journey.name.en)} · {plain(journey.name.zh)}[/] [dim]({plain(journey.id)}, {plain(journey.industry)})[/]"
    )
    for stage in journey.stages:
        branch = root.add(f"[bold blue]{plain(stage.name.en)} · {plain(stage.name.zh)}[/] [dim]{stage.phase.value}[/]")
        for tp in stage.touchpoints:
            style = _MOMENT_STYLE[tp.moment.value]
            cost = f", cost {tp.cost:g}" if tp.cost is not None else ""
            leaf = branch.add(
                f"{plain(tp.name.en)} · {plain(tp.name.zh)} [dim]({plain(tp.id)})[/] [{style}]{tp.moment.value} moment[/]"
                f" — owner: {plain(tp.owner)}{cost}"
            )
            if tp.promise:
                leaf.add(f"[italic]promise:[/] {plain(tp.promise)}")
            if keywords:
                leaf.add("[dim]keywords:[/] " + plain(", ".join(tp.keywords.all_terms())))
    return root
