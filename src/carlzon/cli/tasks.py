"""`carlzon tasks`: the work rules opened, through its life — list, show, assign, acknowledge,
start, wait, resolve, verify, reopen, comment. Every change is kept in the task's audit trail."""

from __future__ import annotations

import getpass
import json
from typing import Annotated

import typer
from rich.table import Table

from carlzon.cli._render import console, handle_errors, open_store, plain
from carlzon.cli.common import DatabaseOption, WorkspaceOption
from carlzon.i18n import _

app = typer.Typer(
    help="Tasks for departments, opened by rules (carlzon rules apply): list them and work them through "
    "open → acknowledged → in progress → resolved → verified (or reopened), with an audit trail.",
    no_args_is_help=True,
)

TaskId = Annotated[int, typer.Argument(help="Task number (see: carlzon tasks list).")]
By = Annotated[str | None, typer.Option("--by", help="Who does it, for the audit trail (default: your login name).")]
Note = Annotated[str | None, typer.Option(help="A note kept with this step in the audit trail.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON (the web API's shape).")]


def _actor(by: str | None) -> str:
    if by:
        return by
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in this environment (a container): say who in --by
        return "cli"


@app.command("list")
@handle_errors
def list_(
    status: Annotated[
        list[str] | None, typer.Option(help="Only these statuses (repeat the option); default: every open one.")
    ] = None,
    department: Annotated[str | None, typer.Option(help="Only this department's tasks.")] = None,
    as_json: AsJson = False,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """List tasks, oldest first, with their due times; overdue ones are marked.

    Example: carlzon tasks list --department Kitchen

    Example: carlzon tasks list --status resolved --status verified --json
    """
    from datetime import UTC, datetime

    from carlzon.actions.models import CLOSED, TaskStatus

    wanted = status or [s.value for s in TaskStatus if s not in CLOSED]
    unknown = sorted(set(wanted) - {s.value for s in TaskStatus})
    if unknown:
        from carlzon.errors import InputError

        raise InputError(f"unknown status {unknown}; use: {', '.join(s.value for s in TaskStatus)}")
    with open_store(workspace, database_url) as store:
        tasks = store.list_tasks(statuses=wanted, department=department)
    if as_json:
        print(json.dumps([t.to_dict() for t in tasks], ensure_ascii=False, indent=2))
        return
    now = datetime.now(UTC)
    table = Table(title=_("%(n)s tasks (%(statuses)s)") % {"n": len(tasks), "statuses": ", ".join(wanted)})
    for column in ("#", _("priority"), _("status"), _("department"), _("assignee"), _("due (UTC)"), _("title")):
        table.add_column(column, overflow="fold")
    for task in tasks:
        overdue = task.due_at is not None and task.due_at < now and task.status not in CLOSED
        due = f"{task.due_at:%Y-%m-%d %H:%M}" if task.due_at else ""
        table.add_row(
            str(task.id),
            task.priority.value,
            task.status.value,
            plain(task.department),
            plain(task.assignee or ""),
            f"[bold red]{due} {_('overdue')}[/]" if overdue else due,
            plain(task.title),
        )
    console.print(table)


@app.command()
@handle_errors
def show(
    task_id: TaskId, as_json: AsJson = False, workspace: WorkspaceOption = None, database_url: DatabaseOption = None
) -> None:
    """Show a task: who owns it, when it is due, the feedback behind it and its audit trail.

    Example: carlzon tasks show 12
    """
    from carlzon.actions.tasks import task_review

    with open_store(workspace, database_url) as store:
        task = store.get_task(task_id)
        events = store.task_events(task_id)
        texts = store.feedback_texts(task.feedback_ids)
        review = task_review(store, task)
    if as_json:
        shown = task.to_dict() | {"events": [e.to_dict() for e in events], "review": review}
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]#{task.id} {plain(task.title)}[/]  {task.priority.value} · {task.status.value}")
    console.print(
        f"department {plain(task.department)} · assignee {plain(task.assignee or '—')} · "
        f"touchpoint {plain(task.touchpoint_id)} · severity {plain(task.severity or '—')}"
    )
    from datetime import UTC, datetime

    from carlzon.actions.models import CLOSED

    now = datetime.now(UTC)
    for label, value in (("first response due", task.first_response_due), ("resolution due", task.due_at)):
        late = value is not None and value < now and task.status not in CLOSED
        shown = f"{value:%Y-%m-%d %H:%M} UTC" if value else "—"
        console.print(f"{label}: {shown}" + ("  [bold red]OVERDUE[/]" if late else ""))
    if task.recovery:
        contacted = {True: "yes", False: "no", None: "not yet said"}[task.contacted_back]
        console.print(
            f"complaint recovery: customer contacted back: {contacted}; outcome: {plain(task.recovery_outcome or '—')}"
        )
    if review is not None:
        console.print(f"review (复盘) of improvement {review['improvement_id']}: {plain(review['summary'])}")
    for text in texts["text"]:
        console.print(f"  “{plain(str(text)[:200])}”")
    console.print("audit trail (UTC):")
    for event in events:
        detail = "; ".join(f"{key} {value}" for key, value in event.detail.items() if value not in (None, ""))
        console.print(
            f"  {event.at:%Y-%m-%d %H:%M} {plain(event.actor)}: {event.action}"
            + (f" — {plain(detail)}" if detail else "")
        )


MOVES = {
    "acknowledge": "Acknowledge a task: the department has seen it (this stops the first-response clock).",
    "start": "Start work on a task (also the first response, if it was not acknowledged).",
    "wait": "Mark a task as waiting on the customer: its SLA clocks pause until it is started again.",
    "verify": "Verify a resolved task: the fix is confirmed and the task is closed.",
    "reopen": "Reopen a resolved or verified task: the fix did not hold.",
}


def _move(action: str, help_text: str):  # type: ignore[no-untyped-def]
    def command(
        task_id: TaskId,
        by: By = None,
        note: Note = None,
        workspace: WorkspaceOption = None,
        database_url: DatabaseOption = None,
    ) -> None:
        from carlzon.actions.tasks import move_task

        with open_store(workspace, database_url) as store:
            task = move_task(store, task_id, action, actor=_actor(by), note=note)
        console.print(_("task %(id)s: %(status)s") % {"id": task.id, "status": task.status.value})

    command.__doc__ = f"""{help_text} Kept in the audit trail with who and when.

    Example: carlzon tasks {action} 12 --by li.na --note "..."
    """
    return handle_errors(command)


for _action, _help in MOVES.items():
    app.command(_action)(_move(_action, _help))


@app.command()
@handle_errors
def resolve(
    task_id: TaskId,
    by: By = None,
    note: Note = None,
    contacted: Annotated[
        bool | None,
        typer.Option("--contacted/--not-contacted", help="Recovery tasks: was the customer called back?"),
    ] = None,
    outcome: Annotated[str | None, typer.Option(help="Recovery tasks: what came of it.")] = None,
    improvement: Annotated[
        str | None,
        typer.Option(help="The change made at the task's touchpoint; the review (复盘) then judges it."),
    ] = None,
    improvement_date: Annotated[
        str | None, typer.Option(help="When the change took effect (default: now), e.g. 2026-12-01.")
    ] = None,
    stores: Annotated[
        str | None, typer.Option(help="Stores the change was made at, comma-separated (default: all).")
    ] = None,
    cost: Annotated[float | None, typer.Option(min=0, help="What the change cost.")] = None,
    brand: Annotated[str | None, typer.Option(help="The brand (default: that of the task's feedback).")] = None,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Resolve a task: the department fixed it (stops the resolution clock). A complaint-recovery task
    says whether the customer was contacted back; --improvement records the change for the review.

    Example: carlzon tasks resolve 12 --note "fryer replaced" --improvement "new fryer" --stores S03

    Example: carlzon tasks resolve 40 --contacted --outcome "apologised, voucher sent"
    """
    from carlzon.actions.tasks import ImprovementMade, move_task

    made = None
    if improvement is not None:
        from carlzon.mot.improvements import parse_moment

        made = ImprovementMade(
            description=improvement,
            started_on=parse_moment(improvement_date) if improvement_date else None,
            stores=tuple(s.strip() for s in (stores or "").split(",") if s.strip()),
            cost=cost,
            brand=brand,
        )
    with open_store(workspace, database_url) as store:
        task = move_task(
            store,
            task_id,
            "resolve",
            actor=_actor(by),
            note=note,
            contacted_back=contacted,
            outcome=outcome,
            improvement=made,
        )
    console.print(_("task %(id)s: %(status)s") % {"id": task.id, "status": task.status.value})
    if task.improvement_id is not None:
        console.print(
            f"improvement {task.improvement_id} recorded; carlzon tasks show {task.id} gives the review's verdict "
            "once enough feedback has arrived after it"
        )


@app.command()
@handle_errors
def assign(
    task_id: TaskId,
    person: Annotated[str, typer.Argument(help="Who takes the task.")],
    by: By = None,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Give a task to a person.

    Example: carlzon tasks assign 12 wang.wei
    """
    from carlzon.actions.tasks import assign_task

    with open_store(workspace, database_url) as store:
        task = assign_task(store, task_id, person, actor=_actor(by))
    console.print(f"task {task.id}: assigned to {plain(task.assignee)}")


@app.command()
@handle_errors
def comment(
    task_id: TaskId,
    text: Annotated[str, typer.Argument(help="The comment.")],
    by: By = None,
    workspace: WorkspaceOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Add a comment to a task's audit trail.

    Example: carlzon tasks comment 12 "called the store manager"
    """
    from carlzon.actions.tasks import comment_task

    with open_store(workspace, database_url) as store:
        comment_task(store, task_id, text, actor=_actor(by))
    console.print(f"task {task_id}: comment kept")
