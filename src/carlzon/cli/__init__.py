"""The `carlzon` command line: thin commands over the library, one module per concept."""

from __future__ import annotations

from typing import Annotated

import typer

from carlzon import __version__
from carlzon.cli import alerts, db, jobs, journeys, qa, rules, surveys, tasks
from carlzon.cli.accounts import audit_app, tokens_app, users_app
from carlzon.cli.analyze import analyze, report
from carlzon.cli.demo import demo
from carlzon.cli.ingest import import_, quarantine_app
from carlzon.cli.mot import drivers, funnel, journey_map, mot_app, review_app, scores
from carlzon.cli.serve import serve
from carlzon.cli.train import evaluate, train
from carlzon.cli.worker import deliveries_app, worker

app = typer.Typer(
    name="carlzon",
    help=(
        "Carlzon: customer experience management around Moments of Truth. Map the journey, hear the "
        "customer (Chinese and English), find the few moments that decide loyalty.\n\n"
        "Start with: carlzon demo  (then open the report it prints)."
    ),
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(journeys.app, name="journeys")
app.add_typer(quarantine_app, name="quarantine")
app.add_typer(mot_app, name="mot")
app.add_typer(review_app, name="review")
app.add_typer(rules.app, name="rules")
app.add_typer(tasks.app, name="tasks")
app.add_typer(alerts.app, name="alerts")
app.add_typer(deliveries_app, name="deliveries")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(audit_app, name="audit")
app.add_typer(jobs.app, name="jobs")
app.add_typer(qa.app, name="qa")
app.add_typer(surveys.app, name="surveys")
app.command()(demo)
app.command("import")(import_)
app.command()(analyze)
app.command()(report)
app.command("journey-map")(journey_map)
app.command()(drivers)
app.command()(funnel)
app.command()(scores)
app.command()(train)
app.command()(evaluate)
app.command()(worker)
app.command()(serve)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"carlzon {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Carlzon command line."""
    import os

    from carlzon.cli._render import skip_the_final_collection
    from carlzon.i18n import activate

    skip_the_final_collection()

    activate(os.environ.get("CARLZON_LANG"))  # the CLI's own lines (the messages of errors stay English)


__all__ = ["app"]
