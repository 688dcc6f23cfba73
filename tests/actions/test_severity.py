"""Severity from the text and the touchpoints: critical for what must reach a team within the hour."""

from __future__ import annotations

import pytest

from carlzon.actions.severity import Severity, assess


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("这批电热水壶有严重质量问题，用了两次底座就冒烟了，建议你们召回", "product quality"),
        ("昨晚在你们店吃完，全家上吐下泻，怀疑是食物中毒", "food safety"),
        ("菜裡吃出了頭髮，太噁心了。", "food safety"),  # zh-Hant, found through the normalised text
        ("服务员把热汤洒在孩子手上，烫伤了，还要我们自己去医院", "injury"),
        ("I will take legal action if nobody calls me back about the refund", "legal threat"),
        ("Found a cockroach in my noodles. Disgusting.", "food safety"),
        ("你们的客服把我的订单截图发到群里，泄露了我的手机和地址", "data leak"),
        ("再不处理我就打12315投诉你们", "legal threat"),
    ],
)
def test_critical_complaints_are_critical_and_say_why(text: str, category: str) -> None:
    result = assess(text, sentiment=-0.7)
    assert result.severity is Severity.CRITICAL
    assert any(reason.startswith(category) for reason in result.reasons), result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "菜很干净，没有异物，服务也好",
        "No cockroach, no hair, just great food",
        "法院旁边这家店很好吃",
        "That was no issue you could see, tasty",  # "sue you" inside "issue you" is not a word
    ],
)
def test_a_negated_or_absent_term_is_not_critical(text: str) -> None:
    assert assess(text, sentiment=0.6).severity is Severity.LOW


def test_the_levels_below_critical() -> None:
    assert assess("上菜有点慢", sentiment=-0.3).severity is Severity.MEDIUM
    assert assess("上菜太慢了，等了一个小时", sentiment=-0.8).severity is Severity.HIGH
    assert assess("再也不来了", sentiment=-0.3).severity is Severity.HIGH
    assert assess("很好吃", sentiment=0.8).severity is Severity.LOW
    assert assess("", sentiment=None).severity is Severity.LOW  # no text, no sentiment
    mild = assess("卫生间有点脏", sentiment=-0.3, touchpoints=["hygiene"], sensitive=["hygiene"])
    assert mild.severity is Severity.HIGH and "sensitive touchpoint: hygiene" in mild.reasons[0]
