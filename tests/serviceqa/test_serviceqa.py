"""Service-conversation QA on hand-written conversations (zh-Hans, zh-Hant, en) and on the real
STC-3 customer–helpdesk dialogues."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from carlzon.cli import app
from carlzon.errors import InputError
from carlzon.serviceqa.evaluate import evaluate_conversations
from carlzon.serviceqa.files import load_conversations
from carlzon.serviceqa.models import Conversation, Turn
from carlzon.serviceqa.reading import read_turn
from carlzon.serviceqa.scoring import score_conversation
from tests.conftest import DATASETS


def agent(text: str) -> frozenset[str]:
    return read_turn(Turn("agent", text)).steps


def behaviour(text: str) -> frozenset[str]:
    return read_turn(Turn("agent", text)).behaviours


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("请问您的订单号是多少？", "explore"),
        ("請問您的訂單號是多少？", "explore"),
        ("Could you send us your booking reference?", "explore"),
        ("建议您进入设置重新登录一下", "offer"),
        ("建議您進入設置重新登錄一下", "offer"),
        ("You can go to Account and click Refund.", "offer"),
        ("已为您办理退款，3个工作日内到账", "act"),
        ("已為您辦理退款，3個工作日內到賬", "act"),
        ("I have processed your refund, it will arrive within 3 business days.", "act"),
        ("请问还有其他问题吗？", "confirm"),
        ("請問還有其他問題嗎？", "confirm"),
        ("Is there anything else I can help with?", "confirm"),
    ],
)
def test_each_eoac_step_is_read(text: str, step: str) -> None:
    assert step in agent(text)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("非常抱歉给您带来不便", "apology"),
        ("非常抱歉給您帶來不便", "empathy"),
        ("I understand how frustrating this is", "empathy"),
        ("这是您自己操作失误", "blame"),
        ("這是您自己操作失誤", "blame"),
        ("That's your fault for booking the wrong date", "blame"),
        ("请联系其他部门", "deflection"),
        ("Please contact another department", "deflection"),
    ],
)
def test_each_abc_behaviour_is_read(text: str, found: str) -> None:
    assert found in behaviour(text)


@pytest.mark.parametrize(
    "text",
    [
        "您反映的情况我们已记录，请耐心等待",
        "您反映的情況我們已記錄，請耐心等待",
        "We have noted your concern, please be patient.",
    ],
)
def test_a_polite_brush_off_is_no_action(text: str) -> None:
    reading = read_turn(Turn("agent", text))
    assert "brush_off" in reading.behaviours and not {"act", "offer"} & reading.steps


def _talk(*turns: tuple[str, str]) -> Conversation:
    return Conversation("c", tuple(Turn(role, text) for role, text in turns))  # type: ignore[arg-type]


def test_a_brush_off_scores_below_a_real_answer() -> None:
    complaint = ("customer", "我的快递一周了还没到，订单号123")
    brushed = score_conversation(_talk(complaint, ("agent", "您反映的情况我们已记录，请耐心等待")), -0.6)
    answered = score_conversation(
        _talk(complaint, ("agent", "已为您联系快递公司，明天送达，请问还有其他问题吗？")), -0.6
    )
    assert brushed.score < answered.score
    assert "a brush-off: acknowledged and promised nothing" in brushed.reasons


def test_a_customer_who_confirms_the_fix_lifts_the_score() -> None:
    fixed = _talk(
        ("customer", "App can't log in since the update"),
        ("agent", "Could you tell us your phone model?"),
        ("customer", "iPhone 12"),
        ("agent", "Please update to version 5.2, it fixes this. Does that help?"),
        ("customer", "Works now, thanks!"),
    )
    unfixed = _talk(*[(t.role, t.text) for t in fixed.turns[:4]], ("customer", "Still not working."))
    good, bad = score_conversation(fixed, 0.7), score_conversation(unfixed, -0.5)
    assert good.customer_solved and not bad.customer_solved
    assert good.score > bad.score and "the customer came back: not solved" in bad.reasons


def test_a_last_message_left_unanswered_costs_points() -> None:
    asked = (("customer", "订单还没到"), ("agent", "请问您的订单号是多少？"), ("customer", "W123，到底什么时候到"))
    left = score_conversation(_talk(*asked), None)
    answered = score_conversation(_talk(*asked, ("agent", "已为您加急，今天送达")), None)
    assert "the customer's last message went unanswered" in left.reasons
    assert "the customer's last message went unanswered" not in answered.reasons
    thanked = score_conversation(_talk(*asked[:2], ("customer", "Got it, thanks")), None)
    assert "the customer's last message went unanswered" not in thanked.reasons  # saying it is solved


def test_the_customer_words_throughout_count() -> None:
    angry = _talk(("customer", "太差了，非常失望"), ("agent", "已为您处理"), ("customer", "嗯"))
    calm = _talk(("customer", "想问一下订单"), ("agent", "已为您处理"), ("customer", "嗯"))
    assert score_conversation(angry, 0.0).score < score_conversation(calm, 0.0).score


@pytest.mark.parametrize(
    ("text", "solved", "unsolved"),
    [
        ("It's ok now, very satisfied", True, False),
        ("Awesome, well done", True, False),
        ("I complained twice and nobody answered", False, True),
        ("Speechless. Nobody helped at all, so disappointing", False, True),
        ("好了，很满意", True, False),
        ("根本没人管，无语", False, True),
    ],
)
def test_the_customer_says_solved_or_not_in_either_language(text: str, solved: bool, unsolved: bool) -> None:
    """The English cues mirror the Chinese ones (好了 / 满意 / 给力 … 根本 / 无语 / 失望), inflections too."""
    reading = read_turn(Turn("customer", text))
    assert (reading.solved, reading.unsolved) == (solved, unsolved)


def test_never_confirming_is_a_reason() -> None:
    result = score_conversation(_talk(("customer", "退款还没到"), ("agent", "已为您加急处理")), None)
    assert "confirm" in result.missing and "never confirmed the customer was satisfied" in result.reasons


def test_bad_files_say_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    good = {"id": 1, "turns": [{"role": "customer", "text": "hi"}]}
    bad = {"id": 2, "turns": [{"role": "robot", "text": "x"}]}
    path.write_text(f"{json.dumps(good)}\n{json.dumps(bad)}\n")
    with pytest.raises(InputError, match=r"c.jsonl: line 2: field turns\[0\].role: role 'robot'"):
        load_conversations(path)


def test_cli_scores_conversations(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    rows = [
        {
            "id": "a",
            "turns": [
                {"role": "customer", "text": "菜一直没上"},
                {"role": "agent", "text": "已为您催菜，五分钟内上齐，还有其他问题吗？"},
                {"role": "customer", "text": "好了，谢谢"},
            ],
        },
        {
            "id": "b",
            "turns": [{"role": "customer", "text": "菜一直没上"}, {"role": "agent", "text": "已记录，请耐心等待"}],
        },
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = CliRunner().invoke(app, ["qa", "score", "--data", str(path), "--json"])
    assert result.exit_code == 0, result.output
    scores = {r["conversation_id"]: r["score"] for r in map(json.loads, result.output.splitlines())}
    assert scores["a"] > scores["b"]


def _stc3(language: str) -> Path:
    path = DATASETS / "stc3_helpdesk_dialogues" / f"dialogues_{language}.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent; the shared datasets are needed for this quality test")
    return path


@pytest.mark.parametrize(("language", "s_floor", "a_floor"), [("zh", 0.62, 0.58), ("en", 0.56, 0.50)])
def test_stc3_zero_shot_meets_the_targets(language: str, s_floor: float, a_floor: float) -> None:
    """The issue's zero-shot targets (baselines: the customer's last turn's sentiment alone, zh S 0.554
    A 0.512, en S 0.488 A 0.438); measured zh S 0.626 A 0.582, en S 0.564 A 0.518 (bench/serviceqa.py)."""
    report = evaluate_conversations(_stc3(language))
    assert report["spearman"]["S"] > s_floor and report["spearman"]["A"] > a_floor
    assert set(report["per_nugget"]) >= {"CNUG0", "HNUG", "HNUG*"}


def _scored_file(tmp_path: Path) -> Path:
    rows = []
    for i in range(30):
        good = i % 2 == 0
        reply = "已为您补发，明天送达，还有其他问题吗？" if good else "已记录，请耐心等待"
        last = "收到了，谢谢" if good else "还是没有人处理，太失望了"
        score = 1.5 if good else -1.5
        rows.append(
            {
                "id": str(i),
                "turns": [
                    {"role": "customer", "text": f"第{i}号订单的快递一直没到"},
                    {"role": "agent", "text": reply},
                    {"role": "customer", "text": last},
                ],
                "quality_mean": {"A": score, "S": score, "E": score / 2},
            }
        )
    path = tmp_path / "scored.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_qa_train_learns_the_teams_scores_and_saves_a_safe_file(tmp_path: Path) -> None:
    from carlzon.serviceqa.training import QAModel, train_qa

    data, out = _scored_file(tmp_path), tmp_path / "qa.npz"
    meta = train_qa(data, out)
    assert meta["n_train"] == 30 and meta["cv_spearman"]["S"] > 0.8
    model, stored = QAModel.load(out)
    assert stored["cv_spearman"] == meta["cv_spearman"]
    fresh = _talk(
        ("customer", "快递没到"), ("agent", "已为您补发，明天送达，还有其他问题吗？"), ("customer", "收到了，谢谢")
    )
    stale = _talk(("customer", "快递没到"), ("agent", "已记录，请耐心等待"), ("customer", "还是没有人处理，太失望了"))
    predicted = model.predict([fresh, stale])["S"]
    assert predicted[0] > predicted[1]
    (tmp_path / "bad.npz").write_bytes(b"not a model")
    with pytest.raises(InputError, match="is not a Carlzon QA model"):
        QAModel.load(tmp_path / "bad.npz")


def test_cli_qa_train_prints_the_cross_validated_figures(tmp_path: Path) -> None:
    out = tmp_path / "qa.npz"
    result = CliRunner().invoke(app, ["qa", "train", "--data", str(_scored_file(tmp_path)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "5-fold Spearman A" in result.output and out.exists()
    few = tmp_path / "few.jsonl"
    few.write_text(json.dumps({"id": "1", "turns": [{"role": "customer", "text": "x"}]}) + "\n")
    refused = CliRunner().invoke(app, ["qa", "train", "--data", str(few), "--out", str(out)])
    assert refused.exit_code != 0 and "too few to learn from" in refused.output


@pytest.mark.parametrize(("language", "s_target"), [("zh", 0.75), ("en", 0.68)])
def test_stc3_trained_five_fold_meets_the_satisfaction_target(language: str, s_target: float) -> None:
    """The issue's trained targets for S (measured 0.817 zh, 0.745 en; TF-IDF + ridge alone 0.704 / 0.627)."""
    from carlzon.serviceqa.training import cross_validate, quality_targets

    path = _stc3(language)
    conversations = load_conversations(path)
    assert cross_validate(conversations, quality_targets(conversations, path))["S"] >= s_target


@pytest.mark.parametrize(("language", "target"), [("zh", 0.70), ("en", 0.65)])
def test_stc3_trained_nuggets_meet_the_target(language: str, target: float) -> None:
    """The issue's trained nugget targets (baselines 0.642 / 0.581: TF-IDF + logistic regression)."""
    from carlzon.serviceqa.training import cross_validate_nuggets, gold_nuggets

    conversations = load_conversations(_stc3(language))
    labels = gold_nuggets(conversations)
    assert labels is not None and cross_validate_nuggets(conversations, labels) >= target


def test_csv_utterance_rows_become_conversations(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(
        "conversation_id,speaker,text,timestamp,agent,team\n"
        "c1,customer,我的退款还没到,0,,\n"
        "c2,user,My parcel is late,0,,\n"
        "c1,agent,已为您加急处理，明天到账,30,a7,North\n"
        "c2,agent,We have noted your concern,12,b2,South\n",
        encoding="utf-8",
    )
    first, second = load_conversations(path)
    assert (first.id, [t.role for t in first.turns], first.turns[1].at) == ("c1", ["customer", "agent"], 30.0)
    assert (first.agent, first.team, second.team) == ("a7", "North", "South")
    bad = tmp_path / "bad.csv"
    bad.write_text("conversation_id,speaker,text\nc1,robot,hello\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.csv: row 2, field speaker: role 'robot'"):
        load_conversations(bad)
    with pytest.raises(InputError, match="no column text"):
        (tmp_path / "short.csv").write_text("id,role\n1,agent\n", encoding="utf-8")
        load_conversations(tmp_path / "short.csv")


def _timed(*turns: tuple[str, str, float]) -> Conversation:
    return Conversation("t", tuple(Turn(role, text, at) for role, text, at in turns))  # type: ignore[arg-type]


def test_a_slow_answer_from_the_turns_times_is_a_reason() -> None:
    slow = score_conversation(_timed(("customer", "菜还没上", 0.0), ("agent", "已为您催菜", 720.0)), None)
    quick = score_conversation(_timed(("customer", "菜还没上", 0.0), ("agent", "已为您催菜", 45.0)), None)
    assert "the customer waited 10 minutes or more for an answer" in slow.reasons
    assert slow.communication["longest_wait"] == 720.0 and quick.communication["longest_wait"] == 45.0
    assert "the customer waited 10 minutes or more for an answer" not in quick.reasons
    untimed = score_conversation(_talk(("customer", "菜还没上"), ("agent", "已为您催菜")), None)
    assert untimed.communication["longest_wait"] is None  # no times: nothing is said of waiting


@pytest.mark.parametrize(
    "question",
    ["请问您的订单号是多少？", "請問您的訂單號是多少？", "Could you tell me your order number?"],
)
def test_asking_the_same_question_again_is_a_reason(question: str) -> None:
    again = score_conversation(
        _talk(("customer", "x"), ("agent", question), ("customer", "y"), ("agent", question)), None
    )
    once = score_conversation(_talk(("customer", "x"), ("agent", question), ("customer", "y")), None)
    assert again.communication["repeated_questions"] == 1 and once.communication["repeated_questions"] == 0
    assert "asked the customer the same question again" in again.reasons


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("已为您提交工单，二线会处理", "工单"),
        ("已為您提交工單，二線會處理", "工单"),
        ("I've passed it to tier 2.", "tier 2"),
    ],
)
def test_in_house_words_are_named(text: str, word: str) -> None:
    result = score_conversation(_talk(("customer", "x"), ("agent", text)), None)
    assert word in result.communication["jargon"]
    assert "used in-house words the customer may not know" in result.reasons


def test_appearance_is_not_in_a_transcript_unless_audited() -> None:
    conversation = _talk(("customer", "x"), ("agent", "已为您处理"))
    assert score_conversation(conversation, None).appearance == "not in a transcript"
    assert score_conversation(conversation, None, appearance="uniform, badge: ok").appearance == "uniform, badge: ok"
