"""`carlzon surveys`: survey definitions a CX manager writes in YAML or JSON and reviews in git."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Annotated

import typer

from carlzon.cli._render import console, handle_errors, plain, settings_from
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
    from carlzon.errors import NotFoundError
    from carlzon.journeys.templates import TEMPLATE_NAMES, load_template
    from carlzon.storage import Store
    from carlzon.surveys.definitions import load_survey

    survey = load_survey(file)
    journey, where = None, "not checked against a journey"
    store = Store.from_settings(settings_from(workspace, database_url))
    try:
        if store.is_initialised():
            with suppress(NotFoundError):  # not stored: the bundled template of that name, if there is one
                journey, where = store.get_journey(survey.journey), "the stored journey"
    finally:
        store.dispose()
    if journey is None and survey.journey in TEMPLATE_NAMES:
        journey, where = load_template(survey.journey), "the bundled template"
    if journey is not None:
        load_survey(file, journey)
        checked = f"touchpoints checked against {where} '{plain(survey.journey)}'"
    else:
        checked = f"journey '{plain(survey.journey)}' is neither stored nor a template: touchpoints not checked"
    console.print(
        f"[green]ok[/]: {plain(file)} — survey '{plain(survey.id)}', {len(survey.questions)} questions in "
        f"{', '.join(survey.languages)}; {checked}"
    )
