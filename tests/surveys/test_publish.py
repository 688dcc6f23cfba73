"""Publishing surveys on SQLite and PostgreSQL: versions, no-op republish, close and reopen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carlzon.errors import NotFoundError, StateError
from carlzon.storage.store import Store
from carlzon.surveys.definitions import load_survey, parse_survey
from tests.cli.test_cli import carlzon
from tests.surveys.test_definitions import EXAMPLE


def test_publish_versions_close_and_reopen(store: Store) -> None:
    survey = load_survey(EXAMPLE)
    first, changed = store.publish_survey(survey, actor="test")
    assert (first.version, first.status, changed) == (1, "open", True)
    assert first.survey == survey  # the stored definition reads back as it was checked
    again, changed = store.publish_survey(survey, actor="test")
    assert (again.version, changed) == (1, False)
    edited = parse_survey(EXAMPLE.read_text(encoding="utf-8").replace("contact_every: 30d", "contact_every: 14d"))
    second, changed = store.publish_survey(edited, actor="test")
    assert (second.version, changed, second.survey.contact_every.days) == (2, True, 14)  # type: ignore[union-attr]
    closed = store.close_survey(survey.id)
    assert closed.status == "closed" and closed.closed_at is not None
    with pytest.raises(StateError, match="already closed; publish it again to reopen it"):
        store.close_survey(survey.id)
    reopened, changed = store.publish_survey(edited, actor="test")
    assert (reopened.status, reopened.version, changed) == ("open", 2, True)
    assert [p.survey.id for p in store.list_surveys()] == ["catering-visit"]
    with pytest.raises(NotFoundError, match="no survey 'nope'"):
        store.get_survey("nope")


def test_the_cli_publishes_lists_and_closes(tmp_path: Path) -> None:
    env = {"CARLZON_WORKSPACE": str(tmp_path / "ws")}
    published = carlzon("surveys", "publish", str(EXAMPLE), cwd=tmp_path, env=env)
    assert published.returncode == 0, published.stderr
    assert "published: survey 'catering-visit' version 1" in published.stdout
    listed = json.loads(carlzon("surveys", "list", "--json", cwd=tmp_path, env=env).stdout)
    assert [(s["id"], s["status"], s["questions"]) for s in listed] == [("catering-visit", "open", 6)]
    assert carlzon("surveys", "close", "catering-visit", cwd=tmp_path, env=env).returncode == 0
    twice = carlzon("surveys", "close", "catering-visit", cwd=tmp_path, env=env)
    assert twice.returncode == 2 and "already closed" in twice.stderr
    missing = carlzon("surveys", "close", "nope", cwd=tmp_path, env=env)
    assert missing.returncode == 3 and "no survey 'nope'" in missing.stderr
