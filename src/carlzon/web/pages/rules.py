"""The rules page: the workspace's rules file, checked and dry-run over the stored feedback.
Nothing is saved or written: the file stays the one the worker and `carlzon rules apply` read."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from carlzon.actions.checking import check_rules_text, dry_run_text
from carlzon.actions.service import parse_since
from carlzon.errors import CarlzonError, RulesFileError
from carlzon.web.deps import FormSession, StoreDep, WideReader, YamlForm
from carlzon.web.pages.render import render

router = APIRouter()


def _workspace_rules(request: Request) -> tuple[Path, str]:
    path = Path(request.app.state.settings.workspace) / "rules.yaml"
    return path, path.read_text(encoding="utf-8") if path.is_file() else ""


@router.get("/rules")
def rules_page(request: Request, _: WideReader) -> Response:
    path, text = _workspace_rules(request)
    return render(request, "rules.html.j2", {"path": path, "text": text, "since": "30d", "outcome": None})


@router.post("/rules")
def check_rules(
    request: Request,
    store: StoreDep,
    _: WideReader,
    _form: FormSession,
    yaml: YamlForm = "",
    action: Annotated[str, Form()] = "validate",
    since: Annotated[str, Form(max_length=40)] = "30d",
) -> Response:
    path, _saved = _workspace_rules(request)
    outcome: dict[str, Any]
    try:
        if action == "test":
            outcome = {"report": dry_run_text(store=store, text=yaml, since=parse_since(since))}
        else:
            outcome = {"check": check_rules_text(store=store, text=yaml)[1]}
    except RulesFileError as exc:
        outcome = {"problems": exc.problems}
    except CarlzonError as exc:
        outcome = {"error": str(exc)}
    return render(request, "rules.html.j2", {"path": path, "text": yaml, "since": since, "outcome": outcome})
