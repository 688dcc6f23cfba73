"""Generate the demo's SYNTHETIC service conversations (JSON Lines), with planted patterns.

Made up from a fixed seed, in zh-Hans, zh-Hant and English, for the restaurant chain's customer
service (delivery, orders, refunds, bookings). What the coaching report should find:

- the team **Online Chat C** never confirms the customer is satisfied (it acts and leaves);
- the agent **B-07** of Hotline B answers with a scripted brush-off that promises nothing;
- Online Chat C leaves the customer waiting 12 minutes or more for a first answer in about 40 %;
- everyone else explores, offers, acts and confirms most of the time.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from carlzon.text import to_traditional

SEED = 20261203
DEFAULT_CONVERSATIONS = 240
TEAMS = {
    "Hotline A": ("A-01", "A-02", "A-03"),
    "Hotline B": ("B-05", "B-06", "B-07"),
    "Online Chat C": ("C-11", "C-12", "C-13"),
}
NEVER_CONFIRMS = "Online Chat C"
BRUSHES_OFF = "B-07"
START = datetime(2026, 9, 1, 9, tzinfo=UTC)

# (problem, explore, details, offer, act) per scenario; then the confirm and the customer's answers.
_SCENARIOS = {
    "zh": (
        (
            "我的外卖已经晚了一个小时还没送到，手机号13900001111",
            "请问您的订单号是多少？",
            "订单号是 W20261105",
            "我们可以为您补发一份，或者全额退款，您看哪个方便？",
            "已经为您办理全额退款，预计24小时内到账。",
        ),
        (
            "上错菜了，我点的是宫保鸡丁，送来的是鱼香肉丝",
            "请问是哪家门店、哪一桌呢？",
            "徐汇店，12号桌",
            "可以马上为您重新上菜，这道菜免单。",
            "已经通知厨房重新做，十分钟内送到您桌上。",
        ),
        (
            "昨天的会员积分没有到账",
            "麻烦提供一下您的会员手机号，我核实一下",
            "是 13800002222",
            "可以为您手动补录积分。",
            "已经为您补录了320积分，现在就能看到。",
        ),
        (
            "订的周六晚上的位子想改到周日",
            "请问预订人姓名和人数是？",
            "王女士，四位",
            "周日晚上六点半和七点半都有位子，您可以选择一个。",
            "已经为您改到周日晚上六点半，短信稍后发到您手机。",
        ),
    ),
    "en": (
        (
            "My delivery is an hour late and still not here",
            "Could you tell me your order number?",
            "It's W20261106",
            "I could send a new order or refund you in full, whichever you prefer.",
            "I've issued the full refund; it will reach your card within 24 hours.",
        ),
        (
            "You charged me twice for dinner last night",
            "Could you share the last four digits of the card?",
            "4417",
            "You can have the second charge refunded right away.",
            "Done: the duplicate charge has been refunded today.",
        ),
        (
            "The app won't let me book a table for Saturday",
            "Which store and what time would you like?",
            "Xuhui, 7pm, four people",
            "Would you like me to make the booking for you from here?",
            "I've booked Xuhui for four at 7pm on Saturday; the confirmation is on its way.",
        ),
    ),
}
_CONFIRM = {
    "zh": "请问问题解决了吗？还有其他可以帮您的吗？",
    "en": "Has that solved it for you? Is there anything else I can do?",
}
_SOLVED = {
    "zh": ("解决了，谢谢！", "好的，没问题了，谢谢"),
    "en": ("Yes, that's sorted, thank you!", "All good now, thanks."),
}
_LEFT = {"zh": ("好吧", "那我再等等看"), "en": ("ok", "I'll wait and see I guess")}
_BRUSH_OFF = {
    "zh": "您反映的情况我们已记录，请耐心等待。",
    "en": "Your feedback has been recorded; please wait patiently.",
}
_ANGRY = {
    "zh": ("又是这句话，根本没人管，太失望了", "每次都让我等，太差劲了"),
    "en": ("That's what you said last time, nobody cares. Terrible.", "Useless, I'm still waiting."),
}


def generate_conversations(count: int = DEFAULT_CONVERSATIONS, seed: int = SEED) -> list[dict[str, object]]:
    """``count`` conversations as JSON-ready dicts: id, agent, team, channel, store, turns."""
    rng = np.random.default_rng(seed)
    agents = [(team, agent) for team, names in TEAMS.items() for agent in names]
    out = []
    for index in range(count):
        team, agent = agents[int(rng.integers(len(agents)))]
        script = ("zh-Hans", "zh-Hant", "en")[int(rng.choice(3, p=(0.55, 0.15, 0.30)))]
        lang = "en" if script == "en" else "zh"
        at = START + timedelta(days=float(rng.uniform(0, 90)), minutes=float(rng.uniform(0, 600)))
        turns = _turns(rng, lang, team, agent)
        if script == "zh-Hant":
            turns = [(role, to_traditional(text)) for role, text in turns]
        late = float(rng.uniform(720, 1500)) if team == NEVER_CONFIRMS and rng.random() < 0.4 else 0.0
        out.append(
            {
                "id": f"conv-{index + 1:04d}",
                "agent": agent,
                "team": team,
                "channel": "chat" if team == NEVER_CONFIRMS else "call_centre",
                "store": ("Shanghai Xuhui", "Shanghai Jing'an", "Beijing Chaoyang")[int(rng.integers(3))],
                "turns": [
                    {
                        "role": role,
                        "text": text,
                        "timestamp": (at + timedelta(seconds=40 * i + late * (i > 0))).isoformat(),
                    }
                    for i, (role, text) in enumerate(turns)
                ],
            }
        )
    return out


def _turns(rng: np.random.Generator, lang: str, team: str, agent: str) -> list[tuple[str, str]]:
    scenarios = _SCENARIOS[lang]
    problem, explore, details, offer, act = scenarios[int(rng.integers(len(scenarios)))]
    pick = lambda options: options[int(rng.integers(len(options)))]  # noqa: E731
    if agent == BRUSHES_OFF and rng.random() < 0.7:
        return [("customer", problem), ("agent", _BRUSH_OFF[lang]), ("customer", pick(_ANGRY[lang]))]
    turns = [("customer", problem), ("agent", explore), ("customer", details), ("agent", offer), ("agent", act)]
    if team == NEVER_CONFIRMS or rng.random() < 0.1:
        return [*turns, ("customer", pick(_LEFT[lang]))]
    return [*turns, ("agent", _CONFIRM[lang]), ("customer", pick(_SOLVED[lang]))]


def write_example_conversations(path: Path, count: int = DEFAULT_CONVERSATIONS, seed: int = SEED) -> Path:
    """Write the conversations as JSON Lines (what `carlzon qa import` reads)."""
    with path.open("w", encoding="utf-8") as handle:
        for conversation in generate_conversations(count, seed):
            handle.write(json.dumps(conversation, ensure_ascii=False) + "\n")
    return path
