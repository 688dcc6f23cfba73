"""`carlzon qa import` and `qa report`: transcripts through the ingest machinery (redaction,
quarantine, de-duplication) on SQLite and PostgreSQL, the coaching report, and the rules hook."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from carlzon.actions.matching import remaining_mask
from carlzon.actions.rules import Rule, load_rules
from carlzon.errors import InputError, RulesFileError
from carlzon.ingest.service import export_quarantine, retry_quarantine
from carlzon.serviceqa.coaching import coaching
from carlzon.serviceqa.columns import ConversationMapping
from carlzon.serviceqa.intake import import_conversations
from carlzon.storage.store import Store
from tests.cli.test_cli import carlzon

HEADER = "conversation_id,speaker,text,timestamp,agent,team\n"
SOLVED = (
    "c1,customer,我的外卖晚了一个小时还没到，电话13812345678,2026-11-20 10:00:00,,\n"
    "c1,agent,非常抱歉，请问您的订单号是多少？,2026-11-20 10:00:30,a7,Hotline A\n"
    "c1,customer,订单号是 W123,2026-11-20 10:01:00,,\n"
    "c1,agent,已经为您办理全额退款，24小时内到账。请问问题解决了吗？,2026-11-20 10:02:00,a7,Hotline A\n"
    "c1,customer,解决了，谢谢,2026-11-20 10:03:00,,\n"
)
LEFT = (
    "c2,customer,My refund never arrived,2026-11-21 09:00:00,,\n"
    "c2,agent,I've issued the refund; it reaches your card within 24 hours.,2026-11-21 09:00:40,b2,Hotline C\n"
    "c2,customer,ok,2026-11-21 09:01:10,,\n"
)
BAD_ROLE = "c3,customer,hello,2026-11-21 09:00:00,,\nc3,robot,hi there,2026-11-21 09:00:40,b2,Hotline C\n"


def write(path: Path, body: str) -> Path:
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_csv_conversations_are_imported_redacted_and_a_bad_row_holds_its_conversation(
    store: Store, tmp_path: Path
) -> None:
    chats = write(tmp_path / "chats.csv", SOLVED + LEFT + BAD_ROLE)
    report = import_conversations(chats, store=store)
    assert (report.rows, report.imported, report.duplicates, report.held, report.quarantined) == (10, 2, 0, 1, 2)
    stored = {c.external_id: c for c in store.conversations()}
    assert set(stored) == {"c1", "c2"}
    assert "13812345678" not in stored["c1"].turns[0].text and "[PHONE]" in stored["c1"].turns[0].text
    assert [t.at for t in stored["c1"].turns] == [0.0, 30.0, 60.0, 120.0, 180.0]
    assert (stored["c1"].agent, stored["c1"].team, stored["c1"].solved) == ("a7", "Hotline A", True)
    assert "confirm" in stored["c1"].steps and "confirm" in stored["c2"].missing
    entries = store.list_quarantine(source="chats.csv")
    assert [(e.row_number, e.field) for e in entries] == [(10, "(conversation)"), (11, "speaker")]
    assert "'robot'" in entries[1].reason and "held with row 11" in entries[0].reason

    with store.engine.connect() as connection:
        feedback = dict(connection.execute(text("SELECT external_id, text FROM feedback")).all())
    assert feedback["c2"] == "My refund never arrived\nok"  # the customer's words, not the agent's
    assert "13812345678" not in feedback["c1"]

    again = import_conversations(chats, store=store)
    assert (again.imported, again.duplicates, again.quarantined) == (0, 2, 2)
    assert len(store.list_quarantine(source="chats.csv")) == 2  # not listed twice

    write(chats, SOLVED + LEFT + BAD_ROLE.replace("robot", "agent"))
    fixed = import_conversations(chats, store=store)
    assert (fixed.imported, fixed.duplicates, fixed.quarantined) == (1, 2, 0)
    assert store.list_quarantine(source="chats.csv") == []
    assert {c.external_id for c in store.conversations()} == {"c1", "c2", "c3"}

    write(chats, SOLVED + LEFT + BAD_ROLE)  # an old, unfixed copy: c3 is in, nothing is held again
    old = import_conversations(chats, store=store)
    assert (old.imported, old.duplicates, old.quarantined) == (0, 2, 0)
    assert store.list_quarantine(source="chats.csv") == []


def test_a_json_conversation_with_a_bad_turn_is_one_entry_with_its_texts_redacted(
    sqlite_store: Store, tmp_path: Path
) -> None:
    lines = [
        {"id": "j1", "agent": "x", "turns": [{"role": "user", "text": "call me on 13812345678"}, {"text": "hi"}]},
        {
            "id": "j2",
            "turns": [
                {"role": "user", "text": "where is my order"},
                {"role": "agent", "text": "Could you share the order number?"},
            ],
        },
    ]
    path = tmp_path / "chats.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    report = import_conversations(path, store=sqlite_store)
    assert (report.imported, report.held, report.quarantined) == (1, 1, 1)
    [entry] = sqlite_store.list_quarantine()
    assert (entry.row_number, entry.field) == (1, "turns[1].role")
    assert "13812345678" not in json.dumps(entry.raw, ensure_ascii=False)
    fixed = tmp_path / "fix.csv"  # the export holds the line's turns as JSON, fixable and imported back
    export_quarantine(store=sqlite_store, out=fixed)
    edited = fixed.read_text(encoding="utf-8-sig").replace(
        '{""text"": ""hi""}', '{""role"": ""agent"", ""text"": ""hi""}'
    )
    fixed.write_text(edited, encoding="utf-8")
    again = import_conversations(fixed, store=sqlite_store)
    assert (again.source, again.imported, again.quarantined) == ("chats.jsonl", 1, 0)
    assert sqlite_store.list_quarantine() == []


def test_json_turns_may_name_their_keys_differently(sqlite_store: Store, tmp_path: Path) -> None:
    lines = [
        {"id": "k1", "turns": [{"speaker": "customer", "text": "hi"}, {"speaker": "agent", "text": "已为您处理"}]},
        {"id": "k2", "turns": [{"sender": "user", "text": "hi"}, {"sender": "helpdesk", "text": "Done, refunded"}]},
        {"id": "k3", "turns": [{"text": "no role at all"}, {"role": "bot", "text": "x"}]},
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    report = import_conversations(path, store=sqlite_store)
    assert (report.imported, report.held) == (2, 1)
    [entry] = sqlite_store.list_quarantine()
    assert (entry.row_number, entry.field) == (3, "turns[0].role") and "no role" in entry.reason
    assert "also turns[1].role: 'bot' is neither" in entry.reason  # every bad turn of the line is said


def test_a_file_without_the_needed_columns_is_a_clear_error(sqlite_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text("call,who,said\n1,customer,hi\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"calls.csv: no column for conversation_id, role, text .*--map"):
        import_conversations(path, store=sqlite_store)
    mapping = ConversationMapping.from_options(["conversation_id=call", "role=who", "text=said"])
    assert import_conversations(path, store=sqlite_store, mapping=mapping).imported == 1
    with pytest.raises(InputError, match="unknown field"):
        ConversationMapping.from_options(["speaker=who"])
    with pytest.raises(InputError, match=r"no line is a JSON object; is it another format\?"):
        import_conversations(path, store=sqlite_store, fmt="jsonl")  # a CSV read as JSON Lines


def test_a_store_audit_column_gives_the_appearance(sqlite_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "store.csv"
    path.write_text(
        "conversation_id,role,text,仪容仪表\ns1,customer,菜还没上,\ns1,agent,已为您催菜，五分钟内上齐,工装整洁\n",
        encoding="utf-8",
    )
    import_conversations(path, store=sqlite_store)
    [stored] = sqlite_store.conversations()
    assert stored.appearance == "工装整洁"
    assert coaching(store=sqlite_store).abc["appearance"] == {"audited": 1, "said": None}


def test_quarantine_retry_leaves_conversation_rows_to_qa_import_of_the_fixed_export(
    sqlite_store: Store, tmp_path: Path
) -> None:
    import_conversations(write(tmp_path / "chats.csv", BAD_ROLE), store=sqlite_store)
    report = retry_quarantine(store=sqlite_store)
    assert (report.tried, report.imported, report.conversation_rows) == (0, 0, 2)
    assert len(sqlite_store.list_quarantine()) == 2
    fixed = tmp_path / "fix.csv"
    export_quarantine(store=sqlite_store, out=fixed)
    fixed.write_text(fixed.read_text(encoding="utf-8-sig").replace(",robot,", ",agent,"), encoding="utf-8")
    again = import_conversations(fixed, store=sqlite_store)  # the entries' own source, not fix.csv
    assert (again.source, again.imported, again.quarantined) == ("chats.csv", 1, 0)
    assert sqlite_store.list_quarantine() == []
    assert [t.role for t in sqlite_store.conversations()[0].turns] == ["customer", "agent"]


def test_coaching_compares_each_team_with_everyone(sqlite_store: Store, tmp_path: Path) -> None:
    import_conversations(write(tmp_path / "chats.csv", SOLVED + LEFT), store=sqlite_store)
    result = coaching(store=sqlite_store)
    teams = {t.name: t for t in result.teams}
    assert teams["Hotline A"].rates["confirm"] == 1.0 and teams["Hotline C"].rates["confirm"] == 0.0
    assert result.whole.rates["confirm"] == 0.5
    assert result.teams[0].name == "Hotline C"  # the lowest score first: who to coach first
    assert result.most_missed in ("explore", "offer", "confirm")
    assert set(teams["Hotline A"].rates.values()) == {1.0} and teams["Hotline A"].most_missed is None
    scoped = coaching(store=sqlite_store, team="Hotline C")
    assert (scoped.scoped.n, scoped.whole.n, scoped.most_missed) == (1, 2, "explore")
    assert [e.conversation_id for e in scoped.examples] == ["c2"]
    assert scoped.examples[0].customer_said == "ok"
    assert scoped.trend == [{"week": "2026-11-16", "n": 1, "mean_score": scoped.second_look[0].score}]


def test_qa_import_and_report_commands(tmp_path: Path) -> None:
    chats = write(tmp_path / "chats.csv", SOLVED + LEFT)
    env = {"CARLZON_WORKSPACE": str(tmp_path / "ws")}
    imported = carlzon("qa", "import", str(chats), "--json", cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["imported"] == 2
    report = carlzon("qa", "report", "--team", "Hotline C", "--json", cwd=tmp_path, env=env)
    assert report.returncode == 0, report.stderr
    body = json.loads(report.stdout)
    assert body["scope"] == "team Hotline C" and body["scoped"]["n"] == 1
    table = carlzon("qa", "report", cwd=tmp_path, env=env)
    assert "team Hotline C" in table.stdout and "never confirmed the customer was satisfied" in table.stdout
    nobody = carlzon("qa", "report", "--team", "No Such Team", cwd=tmp_path, env=env)
    assert nobody.returncode == 3 and "no conversations of team No Such Team" in nobody.stderr
    both = carlzon("qa", "report", "--agent", "a7", "--team", "Hotline A", cwd=tmp_path, env=env)
    assert both.returncode != 0 and "give --agent or --team, not both" in both.stderr + both.stdout
    missing = carlzon("qa", "import", str(tmp_path / "nope.csv"), cwd=tmp_path, env=env)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr and "does not exist" in missing.stderr


def test_a_rule_can_ask_for_a_missed_step(tmp_path: Path) -> None:
    rule = Rule.model_validate({"id": "r", "name": "unconfirmed", "when": {"qa.missing_step": "confirm"}})
    rows = pd.DataFrame(
        {
            "meta": [{"qa": {"missing": ["confirm"]}}, {"qa": {"missing": ["explore"]}}, {}, None],
            "text": ["", "", "", ""],
        }
    )
    assert remaining_mask(rule, rows, None).tolist() == [True, False, False, False]
    bad = tmp_path / "rules.yaml"
    bad.write_text("rules:\n  - id: r\n    name: x\n    when:\n      qa.missing_step: confrim\n", encoding="utf-8")
    with pytest.raises(RulesFileError, match=r"rules.yaml:5.*qa.missing_step.*unknown EOAC step"):
        load_rules(bad)


def test_a_conversation_counts_at_the_journeys_service_touchpoint(store: Store, tmp_path: Path) -> None:
    """The journey's complaint handling is a chat's touchpoint (Touchpoint.channels), whatever the
    customer speaks of: the coaching and the MOT ranking read the same conversation."""
    from carlzon.analysis.service import analyse_journey
    from carlzon.journeys import load_template

    store.save_journey(load_template("catering"))
    import_conversations(write(tmp_path / "chats.csv", SOLVED + LEFT), store=store)
    analyse_journey(store=store, journey_id="catering")
    mentions = store.mentions_frame("catering")
    with store.engine.connect() as connection:
        ids = dict(connection.execute(text("SELECT external_id, id FROM feedback")).all())
    for conversation in ("c1", "c2"):
        found = set(mentions.loc[mentions["feedback_id"] == ids[conversation], "touchpoint_id"])
        assert "complaint_handling" in found, (conversation, found)
