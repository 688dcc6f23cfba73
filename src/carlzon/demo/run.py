"""The main job, end to end, on the embedded default: what `make demo` and `carlzon demo` run.

workspace → SQLite database (migrated) → catering journey → synthetic example feedback and service
conversations → analysis → the example rules (rules.yaml in the workspace) open tasks → report.html.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from pathlib import Path

from carlzon.accounts.service import add_user, set_password
from carlzon.actions.escalation import SlaReport, check_sla
from carlzon.actions.rules import load_rules
from carlzon.actions.service import RulesApplyReport, apply_rules
from carlzon.analysis.service import AnalysisSummary, analyse_journey
from carlzon.config import Settings
from carlzon.demo.conversations import write_example_conversations
from carlzon.demo.generate import DEFAULT_COUNT, IMPROVEMENT, OWN_BRAND, write_example_csv, write_example_funnel
from carlzon.demo.survey_answers import answer_example_survey
from carlzon.files import output_folder
from carlzon.i18n import normalise
from carlzon.ingest.service import ImportReport, import_source
from carlzon.journeys.models import Journey
from carlzon.journeys.templates import load_template
from carlzon.mot.models import Improvement
from carlzon.reports.html import write_report
from carlzon.serviceqa.intake import ConversationImportReport, import_conversations
from carlzon.storage.store import Store
from carlzon.surveys.definitions import load_survey
from carlzon.surveys.links import survey_url, write_qr

StepCallback = Callable[[str], None]
ProgressCallback = Callable[[int, int], None]

DEMO_USER = "demo"


@dataclass(frozen=True)
class DemoResult:
    """Where the demo wrote its files and what it loaded."""

    workspace: Path
    database_url: str
    example_csv: Path
    report: Path
    loaded: ImportReport
    conversations: ConversationImportReport
    analysis: AnalysisSummary
    rules: Path
    tasks: RulesApplyReport
    sla: SlaReport
    login: tuple[str, str]  # a web app sign-in (carlzon serve): user name and a fresh password
    survey_qr: Path  # the example survey's QR code (published: carlzon surveys list)
    survey_answers: int = 0  # answers the example survey holds (seeded as the survey page sends them)


def run_demo(
    settings: Settings,
    *,
    count: int = DEFAULT_COUNT,
    on_step: StepCallback | None = None,
    on_progress: ProgressCallback | None = None,
) -> DemoResult:
    """Run the whole main job in ``settings.workspace``; safe to run again (nothing is duplicated)."""
    step = on_step or (lambda _message: None)
    workspace = settings.workspace.resolve()
    output_folder(workspace, "workspace")
    store = Store.from_settings(settings)
    try:
        step("Migrating the database")
        store.upgrade()
        step("Loading the catering journey template")
        journey = load_template("catering")
        store.save_journey(journey)
        step(f"Generating {count} synthetic example feedback records")
        example = write_example_csv(workspace / "example_feedback.csv", count=count)
        step("Importing the example feedback")
        loaded = import_source(example, store=store)
        step("Importing the example service conversations (scored on EOAC and ABC)")
        conversations = import_conversations(
            write_example_conversations(workspace / "example_conversations.jsonl"), store=store
        )
        step("Publishing the example survey (survey.yaml) and its QR code for the Xuhui store")
        survey_qr = _example_survey(store, workspace, journey, settings.public_url)
        step("Answering it as customers would on the survey page (seeded)")
        survey_id = load_survey(workspace / "survey.yaml").id
        answer_example_survey(store, store.get_survey(survey_id))
        answers = int((store.survey_responses_frame(survey_id)["status"] == "complete").sum())
        step("Analysing sentiment and touchpoints")
        summary = analyse_journey(store=store, journey_id=journey.id, on_progress=on_progress)
        step("Opening tasks from the example rules (rules.yaml)")
        rules = _example_rules(workspace)
        # The demo's feedback spans past months: its first run reads all of it.
        tasks = apply_rules(store=store, rules=load_rules(rules, journey), first_since=timedelta(days=3650))
        step("Checking the tasks' SLA clocks on their department calendars (what carlzon worker does)")
        sla = check_sla(store=store, rules=load_rules(rules, journey))
        step("Creating the demo's web app sign-in (an admin named demo)")
        login = _demo_login(store)
        step("Recording the example improvement for the before/after review")
        _record_example_improvement(store)
        step("Writing the example store funnel and the report")
        funnel = write_example_funnel(workspace)
        report = write_report(
            store=store,
            journey_id=journey.id,
            out=workspace / "report.html",
            brand=OWN_BRAND,
            funnel=funnel,
            language=normalise(settings.lang) or "en",
        )
    finally:
        store.dispose()
    return DemoResult(
        workspace,
        settings.resolved_database_url,
        example,
        report,
        loaded,
        conversations,
        summary,
        rules,
        tasks,
        sla,
        login,
        survey_qr,
        answers,
    )


def _demo_login(store: Store) -> tuple[str, str]:
    """The admin "demo" with a new random password on every run (printed once): the demo's data is
    synthetic, but a password written in the README would open any workspace left running."""
    password = secrets.token_urlsafe(12)
    if store.get_user(DEMO_USER) is None:
        add_user(store=store, username=DEMO_USER, password=password, role="admin", actor="carlzon demo")
    else:
        set_password(store=store, username=DEMO_USER, password=password, actor="carlzon demo")
    return DEMO_USER, password


def _example_rules(workspace: Path) -> Path:
    """The bundled example rules, copied into the workspace for the user to read and edit (kept
    when already there: the user's edits win)."""
    target = workspace / "rules.yaml"
    if not target.exists():
        source = resources.files("carlzon.actions") / "examples" / "catering-rules.yaml"
        with resources.as_file(source) as path:
            shutil.copyfile(path, target)
    return target


def _example_survey(store: Store, workspace: Path, journey: Journey, public_url: str) -> Path:
    """The bundled example survey, copied into the workspace (the user's edits win), published, and
    the QR code of its link for one store written beside it."""
    target = workspace / "survey.yaml"
    if not target.exists():
        source = resources.files("carlzon.surveys") / "examples" / "catering-visit.yaml"
        with resources.as_file(source) as path:
            shutil.copyfile(path, target)
    survey = load_survey(target, journey)
    store.publish_survey(survey, actor="carlzon demo", source_text=target.read_text(encoding="utf-8"))
    return write_qr(survey_url(public_url, survey.id, store=IMPROVEMENT["location"]), workspace / "survey-qr.svg")


def _record_example_improvement(store: Store) -> None:
    """The planted kitchen display system, recorded once (a rerun does not add it again)."""
    improvement = Improvement(
        journey_id="catering",
        touchpoint_id=IMPROVEMENT["touchpoint"],
        brand=OWN_BRAND,
        started_on=IMPROVEMENT["started_on"],
        description=IMPROVEMENT["description"],
        cost=IMPROVEMENT["cost"],
        locations=[IMPROVEMENT["location"]],
    )
    if not any(i.description == improvement.description for i in store.list_improvements("catering")):
        store.add_improvement(improvement)
