"""Touchpoints a Chinese unit speaks of without any of the journey's terms.

Two things a Chinese review says of a restaurant, hotel or shop in words no keyword list can hold,
because the subject is the general word for the place or the people in it:

- **a wait beside a crowd** is a wait for a table, a room, a till: "人很多，大概等了半个多小时",
  "人多要等". It goes to the touchpoints the journey files 排队 (queueing) under. A wait with no
  crowd ("在大堂等了一会儿") says not what it was for, and stays unread.
- **the size of the place** is its space: "店很小", "店铺不是很大", "地方很大". It goes to the
  touchpoints the journey files 空间 (space) under, and a big place is mild praise, a small one
  mild blame (opinions.ZH_PLACE_SIZE).

A journey without those terms gets neither. The targets found here are paired with opinions like
any other (opinions.py).
"""

from __future__ import annotations

import re

from carlzon.analysis.touchpoints.opinion_words import ZH_CROWDS
from carlzon.analysis.touchpoints.opinions import Target, place_sizes
from carlzon.analysis.touchpoints.tagger import TouchpointTagger

# 等 as "wait for a table", not "etc." (等等), "equal" (等于), a class (上等, 头等), a grade (等级),
# "until" (等下次人少了再来, 等我们吃完) or a wait for someone or something else (等朋友, 等电梯,
# 等餐); "一等就是一个小时" is a wait.
_ZH_WAITING = re.compile(
    r"(?:(?<![上中下一二三头平同高低初次优特超何等])|(?<=一)(?=等[就便]))等"
    r"(?![等于级同]|下次|下回|会儿|朋友|我们|你|他|她|外卖|电梯|车|餐|菜)"
)


def crowd_wait(unit: str, previous: str) -> int | None:
    """Where ``unit`` states a wait beside a crowd (in it, or in the ``previous`` unit), or None."""
    wait = _ZH_WAITING.search(unit) if "等" in unit else None
    if wait is None:
        return None
    crowded = any(c in unit[: wait.start()] for c in ZH_CROWDS) or any(c in previous for c in ZH_CROWDS)
    return wait.start() if crowded else None


def place_size(unit: str) -> tuple[int, int] | None:
    """The span of ``unit`` that states how big the place is, or None."""
    found = next(place_sizes(unit), None)
    return found.span() if found else None


def implicit_targets(unit: str, previous: str, spans: list[Target], tagger: TouchpointTagger) -> list[Target]:
    """The unit's targets (``spans``, from the journey's terms) with those it names implicitly."""
    added: list[Target] = []
    if not spans and tagger.queue_ids:
        wait = crowd_wait(unit, previous)
        if wait is not None:
            added += [(queue, wait, wait + 1) for queue in tagger.queue_ids]
    if tagger.space_ids:
        size = place_size(unit)
        if size is not None and not any(start < size[1] and size[0] < end for _, start, end in spans):
            added += [(space, *size) for space in tagger.space_ids]
    return sorted([*spans, *added], key=lambda target: target[1]) if added else spans
