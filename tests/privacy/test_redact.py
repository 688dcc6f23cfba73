from __future__ import annotations

import pytest

from carlzon.privacy.redact import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请打13812345678联系我", "请打[PHONE]联系我"),
        ("+86 138-1234-5678 找王经理", "[PHONE] 找[NAME]经理"),
        ("王先生和李小红女士都投诉了", "[NAME]先生和[NAME]女士都投诉了"),
        ("Mr. Smith and Dr John Lee", "Mr. [NAME] and Dr [NAME]"),
        ("call (415) 555-2671 or mail jo.li@example.com", "call [PHONE] or mail [EMAIL]"),
        ("身份证11010519491231002X已登记", "身份证[ID]已登记"),
        ("卡号 4111 1111 1111 1111 被扣款", "卡号 [CARD] 被扣款"),
        ("香港 +852 9123 4567", "香港 [PHONE]"),
        ("台灣 0912-345-678", "台灣 [PHONE]"),
    ],
)
def test_personal_data_is_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "订单号 202611230001 航班 CA1234 价格 ¥388 日期 2026-11-23",
        "Flight UA 857 on 11/23, paid $1,299.00, order 4111111111111112",  # fails Luhn
        "号码 110105194912310021 写错了",  # wrong check digit and no ID label: not an ID
        "谢谢大堂经理和送餐师傅，先生您好",  # titles without a surname before them
    ],
)
def test_false_positives_survive(text: str) -> None:
    assert redact(text) == text
