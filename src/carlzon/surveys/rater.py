"""The RATER / SERVQUAL battery: 22 statements in five dimensions (Parasuraman, Zeithaml & Berry,
1988), asked on a 7-point agreement scale as expectation ("an excellent company would …") and
perception ("this company …"), or as perception only. The gap (perception − expectation) per
dimension is what the results report; the wording is the standard one, made general (any
restaurant, airline, hotel or shop) and written in simplified Chinese and English.
"""

from __future__ import annotations

from carlzon.surveys.models import Text

DIMENSIONS: dict[str, range] = {  # item numbers, 1-based, as in the original instrument
    "tangibles": range(1, 5),
    "reliability": range(5, 10),
    "responsiveness": range(10, 14),
    "assurance": range(14, 18),
    "empathy": range(18, 23),
}
ITEMS: tuple[tuple[str, str], ...] = (  # (zh-Hans, en)
    ("设备看起来现代、先进。", "It has modern-looking equipment."),
    ("店面和设施的外观吸引人。", "Its physical facilities are visually appealing."),
    ("员工仪表整洁。", "Its employees are neat in appearance."),
    ("菜单、宣传册、票据等资料美观清楚。", "Materials such as menus, leaflets and receipts are visually appealing."),
    ("承诺在某个时间做到的事，都按时做到。", "When it promises to do something by a certain time, it does so."),
    ("遇到问题时，真心实意地帮我解决。", "When I have a problem, it shows a sincere interest in solving it."),
    ("第一次就把服务做好。", "It performs the service right the first time."),
    ("在承诺的时间提供服务。", "It provides its services at the time it promises to do so."),
    ("记录和账单准确无误。", "It keeps its records and bills free of errors."),
    ("员工会确切告诉我服务何时完成。", "Employees tell me exactly when services will be performed."),
    ("员工为我提供及时的服务。", "Employees give me prompt service."),
    ("员工总是乐于帮助我。", "Employees are always willing to help me."),
    ("员工再忙也会回应我的要求。", "Employees are never too busy to respond to my requests."),
    ("员工的言行让我放心。", "The behaviour of employees instils confidence in me."),
    ("与他们打交道让我感到安心。", "I feel safe in my transactions with it."),
    ("员工始终对我以礼相待。", "Employees are consistently courteous with me."),
    ("员工有足够的知识回答我的问题。", "Employees have the knowledge to answer my questions."),
    ("会给予我个别的关注。", "It gives me individual attention."),
    ("营业时间对所有顾客都方便。", "Its operating hours are convenient to all its customers."),
    ("有员工给予我个人化的关怀。", "It has employees who give me personal attention."),
    ("把我的利益放在心上。", "It has my best interests at heart."),
    ("员工了解我的具体需求。", "Employees understand my specific needs."),
)
EXPECTATION = Text.model_validate(
    {"zh-Hans": "一家出色的同类企业应当做到：", "en": "An excellent company of this kind would be such that:"}
)
PERCEPTION = Text.model_validate({"zh-Hans": "这次您遇到的这家：", "en": "The company you just visited:"})
AGREEMENT = Text.model_validate(
    {"zh-Hans": "1 = 非常不同意，7 = 非常同意", "en": "1 = strongly disagree, 7 = strongly agree"}
)


def dimension_of(item: int) -> str:
    """The dimension of a 1-based item number."""
    return next(name for name, numbers in DIMENSIONS.items() if item in numbers)


def items() -> list[tuple[int, str, Text]]:
    """(item number, dimension, statement) for the 22 items, in order."""
    return [
        (number, dimension_of(number), Text.model_validate({"zh-Hans": zh, "en": en}))
        for number, (zh, en) in enumerate(ITEMS, start=1)
    ]
