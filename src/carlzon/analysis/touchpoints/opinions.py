"""Opinion–target pairing: which words of a review judge which touchpoint, and how.

Why not the clause's score: a Dianping review runs for a dozen clauses with one "，" between
them, most of them description ("点了一份…"), and a classifier's reading of a short clause leans
negative whatever it says. So a touchpoint's sentiment is read from the opinion words that belong
to it, and nothing else:

1. **Units**: the clauses (clauses.py splits on "，", "、", "。" …), and Chinese clauses again on
   the spaces and line breaks some reviewers put between opinions.
2. **Opinions** in a unit, each with its weight (opinion_words.py): a degree word before it scales
   it ("非常非常好吃", "有点贵"), an after-word makes it louder ("好吃的不要不要的", "好吃极了"),
   a negator just before flips it ("不太好吃", "一点也不贵"), "没有 X 好吃" is a comparison that
   blames, "比 X 好吃" one that praises; a stated wait ("等了四十分钟", "45 minutes") blames.
3. **Pairing**: each opinion goes to the nearest touchpoint term of its unit (a term before it
   wins a tie: "菜很好吃"); a term with no opinion of its own shares that of a term joined to it
   ("环境和服务都很好"; in English the nearest: "excellent food and service"); a unit with opinions
   but no term finishes the one before it ("等了四十分钟才上菜，太慢了"); in English a unit with a
   term and no opinion takes the one before it ("a relaxing, laid-back atmosphere").
4. **Score**: the sum of a mention's opinion weights, squashed onto [-1, 1]. No opinion word, no
   sentiment: a touchpoint described without an opinion is neutral (0) — unless the sentiment step
   read its clause strongly, or a short English text judges one way only (analyzer.py).

The phrase of a mention is its strongest piece: the span from the term to its opinion (or the
opinion's own unit), so a pain point reads "等了四十分钟才上菜", not the sentence around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import pairwise

from carlzon.analysis.clauses import weighted_clauses
from carlzon.analysis.sentiment.cues import LONG_WAIT
from carlzon.analysis.sentiment.lexicon import (
    EN_FAILURES,
    EN_NEGATIVE,
    EN_NEGATORS,
    EN_POSITIVE,
    EN_STRONG,
    TRANSACTIONAL_WORDS,
)
from carlzon.analysis.touchpoints.opinion_words import (
    COMPARATIVE_REACH,
    EN_BOOSTERS,
    EN_NOT_OPINIONS,
    EN_OPINIONS,
    EN_WISHES,
    ZH_AFTER_DEGREE,
    ZH_DEGREE,
    ZH_LABELS,
    ZH_NEGATORS,
    ZH_NOT_BEFORE_A_NUMBER,
    ZH_NOT_NEGATING,
    ZH_NOT_OPINIONS,
    ZH_NOUN_VERDICTS,
    ZH_NUMERALS,
    ZH_OPINIONS,
    ZH_SOFT_NEGATORS,
    ZH_TOPIC_SUFFIXES,
)
from carlzon.analysis.touchpoints.tagger import END

SCALE = 1.5  # a mention's summed weights over this, clipped: one plain opinion is 0.67, a strong one 1.0
LENGTH_CAP = 20  # characters (Chinese) a phrase aims to stay within
WORD_CAP = 8  # words (English)
# Spaces between characters, and line breaks an export wrote out as the two characters "\n".
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])|(?:\\+n)+")
# A stated wait blames: "等了四十分钟", "排了一个多小时", "四十分钟才上".
_ZH_WAIT = re.compile(
    r"(?:等|排)了?[^，。！？]{0,6}?(?:分钟|小时|钟头|个钟|半天)|[\d一二两三四五六七八九十半]+(?:多)?(?:分钟|个?小时|个钟头)[^，。]{0,3}?才"
)
# A wait stated as short is praise: "不到半小时", "十分钟以内就上齐了", "10分钟不到".
_ZH_WITHIN = re.compile(r"不到|没到|不超过|以内|之内|内就")
_ZH_QUICK = re.compile(
    r"(?:不到|没到|不超过|不足)[\d一二两三四五六七八九十]+(?:多)?分钟|[\d一二两三四五六七八九十]+分钟(?:不到|以内|之内|内)"
)
# "可以" ends a verdict ("环境可以", "味道还是可以的"); elsewhere it is "may" ("可以刷卡").
_ZH_ALRIGHT = re.compile(r"(?<!不)可以(?=$|[的嘛啊吧呀哦了])")
# How big the place is: "店很小", "店铺不是很大", "空间很大" — in a review of a restaurant, hotel or
# shop a big place is mild praise and a small one mild blame. The size word must end the verdict, so
# "地方小吃" (local snacks), "店里小哥", "店里不大干净" ("not very clean") and "有点小贵" are other words.
ZH_PLACE_SIZE = re.compile(
    r"(?:店铺|门店|店内|店里|店面|店|地方|餐厅|饭店|铺面|空间|场地|面积)(?:还是|也|就|倒是|真的|实在)?"
    r"(?P<size>(?:不是很|不太|很|挺|比较|有点|蛮|太|超级|超|特别|非常|稍微|略)?(?:小小|狭小|不大|小|大|窄))"
    r"(?=$|[了啊呀哦吧啦嘛!！~，,。；;]|的(?:$|[，,。!！])|但|而|不过|却)"
)


def place_sizes(unit: str) -> Iterator[re.Match[str]]:
    """Where a normalised Chinese unit says how big the place is (ZH_PLACE_SIZE): read as an opinion
    here and as a target of the journey's space in implicit.py."""
    if "大" in unit or "小" in unit or "窄" in unit:
        yield from ZH_PLACE_SIZE.finditer(unit)


_ZH_NO_WAIT = ("不用等", "不用排队", "无需等", "没怎么等", "没等多久", "不需要等", "随到随吃")
_EN_TOKEN = re.compile(r"[a-z][a-z']*(?:-[a-z]+)*")  # "so-so", "laid-back" are one word
_EN_DURATION = re.compile(r"(?<![a-z0-9])\d+(?:[.,]\d+)?(?: 1/2)? ?(?:hours?|hrs?|minutes?|mins?)(?![a-z])")
# "less expensive", and negations typed without their apostrophe ("isnt that great").
_EN_MORE_NEGATORS = frozenset(
    ("less", "lack", "isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt", "wont", "cant")
)
_EN_DAMPENERS = ("slightly", "somewhat", "kinda", "barely", "marginally", "partly", "sort of", "kind of", "a bit")


_WISH = re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(w) for w in EN_WISHES) + r")(?![a-z])")


@dataclass(frozen=True, slots=True)
class Opinion:
    """An opinion read in a unit: where it is (its degree and negation words included), its weight
    and the word that names it in pain and delight points (negated ones marked: "不新鲜")."""

    start: int
    end: int
    weight: float
    word: str


@dataclass(slots=True)
class Piece:
    """What one unit says about one touchpoint: its span in the unit, its opinions."""

    unit: int
    start: int
    end: int
    opinions: list[Opinion] = field(default_factory=list)
    carried: bool = False  # an opinion unit with no term of its own, finishing the unit before it
    alone: bool = True  # no other touchpoint is named in the unit

    @property
    def score(self) -> float:
        return max(-1.0, min(1.0, sum(o.weight for o in self.opinions) / SCALE))


# --- Chinese -----------------------------------------------------------------------------------


@cache
def _zh_automaton():  # type: ignore[no-untyped-def]
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word, weight in ZH_OPINIONS.items():
        automaton.add_word(word, (weight, len(word)))
    for word in (*ZH_NOT_OPINIONS, *ZH_NOT_NEGATING):
        automaton.add_word(word, (None, len(word)))
    for word in _ZH_NO_WAIT:
        automaton.add_word(word, (1.0, len(word)))
    automaton.make_automaton()
    return automaton


def _starts_an_opinion(text: str) -> bool:
    automaton = _zh_automaton()
    return any(automaton.get(text[:n], (None, 0))[0] is not None for n in range(len(text), 0, -1))


def _ends_with(text: str, words: Sequence[str] | frozenset[str]) -> str | None:
    """The longest of ``words`` that ``text`` ends with (words of at most four characters)."""
    for size in (4, 3, 2, 1):
        tail = text[-size:]
        if len(tail) == size and tail in words:
            return tail
    return None


_DEGREE_WORDS = frozenset(ZH_DEGREE)
_NEGATORS = frozenset(ZH_NEGATORS)
# Opinion words that are also a degree word or a negator ("好", "不够"): before another opinion
# they modify it ("好贵", "不够新鲜") and are not read on their own.
_ALSO_MODIFIERS = frozenset(ZH_OPINIONS) & (_DEGREE_WORDS | _NEGATORS)
_SOFT_NEGATORS = frozenset(ZH_SOFT_NEGATORS)
_LABELS = frozenset(ZH_LABELS)
_BEFORE_A_NUMBER = frozenset(ZH_NOT_BEFORE_A_NUMBER)
_NO_WAIT_BEFORE = frozenset(("没", "不用", "没有", "无需", "不"))


def zh_opinions(unit: str) -> list[Opinion]:
    """The opinions of a normalised Chinese unit, in order (see the module docstring, step 2)."""
    if unit in _LABELS:
        return []
    found: list[Opinion] = []
    taken = [False] * len(unit)
    waits = _ZH_WAIT.finditer(unit) if ("等" in unit or "排" in unit or "才" in unit) else ()
    for match in waits:
        if not _ends_with(unit[: match.start()], _NO_WAIT_BEFORE):
            quick = _ZH_WITHIN.search(match.group()) or _ZH_WITHIN.match(unit, match.end())
            found.append(Opinion(match.start(), match.end(), 1.0 if quick else -1.0, "快" if quick else "等了"))
            taken[match.start() : match.end()] = [True] * (match.end() - match.start())
    for match in _ZH_QUICK.finditer(unit) if "分钟" in unit else ():
        if not any(taken[match.start() : match.end()]):
            found.append(Opinion(match.start(), match.end(), 1.0, "快"))
            taken[match.start() : match.end()] = [True] * (match.end() - match.start())
    for match in place_sizes(unit):
        start, end, size = match.start("size"), match.end("size"), match.group("size")
        big = size.endswith("大") and not size.startswith("不")
        found.append(Opinion(start, end, 0.5 if big else -0.5, "大" if big else "小"))
        taken[start:end] = [True] * (end - start)
    for match in _ZH_ALRIGHT.finditer(unit) if "可以" in unit else ():
        found.append(_read_zh(unit, match.start(), match.end(), 0.5, "可以"))
        taken[match.start() : match.end()] = [True] * (match.end() - match.start())
    for end, (weight, length) in _zh_automaton().iter_long(unit + END):  # END: see tagger.END
        start = end - length + 1
        if weight is None or any(taken[start : end + 1]):
            continue
        word = unit[start : end + 1]
        if word.startswith("不") and start and unit[start - 1] == word[1:2]:
            continue  # "好不好看", "贵不贵": a question, not a verdict
        if word in _BEFORE_A_NUMBER and unit[end + 1 : end + 2] in ZH_NUMERALS and unit[end + 1 : end + 2]:
            continue  # "快一个小时": nearly, not quick; "不足五十": less than
        if word in _ALSO_MODIFIERS and _starts_an_opinion(unit[end + 1 : end + 5]):
            continue  # "好贵", "不够新鲜": read with the opinion after it
        found.append(_read_zh(unit, start, end + 1, weight, word))
    found.sort(key=lambda o: o.start)
    if len(found) < 2:
        return found
    return [o for o, after in pairwise(found) if not _is_topic(unit, o, after)] + found[-1:]


# What may stand between a topic and its verdict: "卫生还可以", "卫生做得不好".
_TOPIC_GAPS = frozenset(("", "还", "倒", "倒是", "就", "就是", "是", "真是", "实在", "真的", "做得", "做的", "搞得"))


def _is_topic(unit: str, opinion: Opinion, verdict: Opinion) -> bool:
    """Whether an opinion word is the topic the next one judges: "卫生很差" blames the hygiene,
    "干净程度一般" is lukewarm about the cleanliness; a verdict word that names its topic is not
    read as a second verdict (which would cancel the first)."""
    gap = unit[opinion.end : verdict.start]
    suffix = next((s for s in ZH_TOPIC_SUFFIXES if gap.startswith(s)), None)
    if suffix:
        return gap[len(suffix) :] in _TOPIC_GAPS or gap[len(suffix) :].startswith(("也", "都"))
    return opinion.word in ZH_NOUN_VERDICTS and unit[opinion.start : opinion.end] == opinion.word and gap in _TOPIC_GAPS


_COMPARED_BY = ("没有", "不如", "还没")
# After them, an experience or a "before X, already Y" is no comparison: "还没吃过这么好吃的",
# "还没进门就闻到很香的味道".
_NOT_COMPARING = ("过", "就", "已经", "便")


def _blaming_comparison(before: str) -> bool:
    """Whether the words before praise make it a comparison that blames ("没有想象中好吃",
    "还没家人做得好"), not one that praises ("比 X 好吃") or a superlative ("还没吃过这么好吃的")."""
    if "比" in before:
        return False
    at = max(before.rfind(word) for word in _COMPARED_BY)
    return at >= 0 and not any(word in before[at:] for word in _NOT_COMPARING)


def _read_zh(unit: str, start: int, end: int, weight: float, word: str) -> Opinion:
    """One opinion word with the degree, negation and after-words around it."""
    reach, scale = start, 1.0
    degree = _ends_with(unit[:reach], _DEGREE_WORDS)
    while degree:  # "特别特别好": said twice is louder, then what comes before it
        scale = scale * 1.2 if scale != 1.0 else ZH_DEGREE[degree]
        reach -= len(degree)
        degree = _ends_with(unit[:reach], _DEGREE_WORDS)
        degree = degree if degree and degree not in ("都", "也") else None
    negator = _ends_with(unit[:reach], _NEGATORS)
    if negator == "别" and unit[:reach].endswith(("特别", "区别", "级别", "分别", "告别")):
        negator = None
    if negator == "不" and reach >= 2 and unit[reach - 2] == word[0]:
        return Opinion(reach - 2, end, 0.0, word)  # "好不好吃", "正不正宗": a question, not a verdict
    if negator and not any(unit[: reach + 2].endswith(n) for n in ZH_NOT_NEGATING) and not word.startswith("不"):
        softened = negator in _SOFT_NEGATORS or scale != 1.0
        if softened:  # "不太好", "不是很贵": not very good is mildly bad, not very bad
            scale = 1.0
        weight, reach, word = -weight * (0.6 if softened else 1.0), reach - len(negator), f"不{word}"
        degree = _ends_with(unit[:reach], _DEGREE_WORDS)  # "很不满意": the degree before the negator
        if degree:
            scale, reach = max(scale, ZH_DEGREE[degree]), reach - len(degree)
    elif weight > 0:
        before = unit[max(0, start - COMPARATIVE_REACH) : reach]
        if _blaming_comparison(before):
            weight, word = -weight, f"不{word}"  # "没有想象中好吃": a comparison that blames
    after = next((a for a in ZH_AFTER_DEGREE if unit.startswith(a, end)), None) if end < len(unit) else None
    if after:
        scale, end = max(scale, 1.0) * 1.5, end + len(after)
    return Opinion(reach, end, weight * scale, word)


# --- English -----------------------------------------------------------------------------------


@cache
def _en_lexicon() -> dict[str, float]:
    """VADER's valences (halved: "great" 1.55, "good" 0.95) without the words that, in a message to
    a company, ask rather than feel; our cue words at ±1 where VADER is silent."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    lexicon = {word: valence / 2 for word, valence in SentimentIntensityAnalyzer().lexicon.items()}
    for word in (*TRANSACTIONAL_WORDS, *EN_NEGATORS, *EN_NOT_OPINIONS):  # "no" negates, it does not feel
        lexicon.pop(word, None)
    lexicon |= EN_OPINIONS
    for word in EN_POSITIVE:
        lexicon.setdefault(word, 1.0)
    for word in (*EN_NEGATIVE, *EN_FAILURES):
        if word not in ("why", "never", "can't", "cannot", "couldn't", "won't", "would be nice"):
            lexicon.setdefault(word, -1.0)
    return lexicon


@cache
def _en_phrase_starts() -> frozenset[str]:
    """First words of the lexicon's phrases: only after one of them is a phrase looked for."""
    return frozenset(word.split()[0] for word in _en_lexicon() if " " in word)


@cache
def _en_boosters() -> dict[str, float]:
    from vaderSentiment.vaderSentiment import BOOSTER_DICT

    return {word: (1.5 if value > 0 else 0.6) for word, value in BOOSTER_DICT.items()} | {
        **dict.fromkeys(EN_STRONG, 1.5),
        **dict.fromkeys(EN_BOOSTERS, 1.5),
        **dict.fromkeys(_EN_DAMPENERS, 0.6),
    }


def en_opinions(unit: str) -> list[Opinion]:
    """The opinions of a normalised English unit: VADER's words and ours, each with the booster
    and the negation ("not", "n't", "never" among the three words before) that reach it."""
    lexicon, boosters = _en_lexicon(), _en_boosters()
    tokens = [(m.group(), m.start(), m.end()) for m in _EN_TOKEN.finditer(unit)]
    found: list[Opinion] = []
    skip = -1
    for index, (token, start, end) in enumerate(tokens):
        if index <= skip:
            continue
        word, stop = token, end
        if token in _en_phrase_starts():
            for size in (4, 3, 2):  # "out of this world", "never again", "on time"
                joined = " ".join(t for t, _, _ in tokens[index : index + size])
                if index + size <= len(tokens) and joined in lexicon:
                    word, stop, skip = joined, tokens[index + size - 1][2], index + size - 1
                    break
        weight = lexicon.get(word)
        if weight is None or word in boosters:
            continue
        before = [t for t, _, _ in tokens[max(0, index - 3) : index]]
        begin = tokens[max(0, index - 1)][1] if index and before[-1] in boosters else start
        if before and before[-1] in boosters:
            weight *= boosters[before[-1]]
        if any(t in EN_NEGATORS or t in _EN_MORE_NEGATORS or t.endswith("n't") for t in before):
            weight, word = -0.74 * weight, f"not {word}"  # VADER's own negation scalar
            begin = tokens[max(0, index - 3)][1]
        elif weight > 0 and _WISH.search(unit[max(0, start - 40) : stop]):
            weight, word = -0.74 * weight, f"not {word}"
        found.append(Opinion(begin, stop, weight, word))
    for match in _EN_DURATION.finditer(unit):
        found.append(Opinion(match.start(), match.end(), -1.0, LONG_WAIT))
    return sorted(found, key=lambda o: o.start)


# --- Pairing -----------------------------------------------------------------------------------


def units_of(clause: str, chinese: bool) -> list[tuple[int, str]]:
    """(offset, unit) of a normalised clause: Chinese clauses split again at spaces between characters."""
    if not chinese or not _CJK_SPACE.search(clause):
        return [(0, clause)]
    out, position = [], 0
    for match in _CJK_SPACE.finditer(clause):
        out.append((position, clause[position : match.start()]))
        position = match.end()
    out.append((position, clause[position:]))
    return [(offset, unit) for offset, unit in out if unit.strip()]


Target = tuple[str, int, int]  # (touchpoint id, start, end) in the unit


def pair(units: Sequence[tuple[list[Target], list[Opinion]]], chinese: bool = True) -> dict[str, list[Piece]]:
    """Per touchpoint, its pieces, from each unit's targets and opinions (step 3 of the module docstring)."""
    found: dict[str, list[Piece]] = {}
    previous: list[Target] = []
    previous_unit = -1
    for index, (targets, opinions) in enumerate(units):
        if targets and not opinions and not chinese and index and not units[index - 1][0] and units[index - 1][1]:
            # English: "a relaxing, laid-back atmosphere" — the opinion came first, in the unit before
            for touchpoint_id in dict.fromkeys(tp for tp, _, _ in targets):
                end = max(e for tp, _, e in targets if tp == touchpoint_id)
                piece = Piece(index, 0, end, list(units[index - 1][1]), alone=len({t[0] for t in targets}) == 1)
                found.setdefault(touchpoint_id, []).append(piece)
            previous, previous_unit = targets, index
            continue
        if not targets:
            if opinions and previous and previous_unit == index - 1:
                named = list(dict.fromkeys(t[0] for t in previous))
                start, end = _carried_span(opinions)
                for touchpoint_id in named:
                    piece = Piece(index, start, end, list(opinions), carried=True, alone=len(named) == 1)
                    found.setdefault(touchpoint_id, []).append(piece)
            previous = []
            continue
        own: dict[int, list[Opinion]] = {i: [] for i in range(len(targets))}
        for opinion in opinions:
            own[_nearest_target(opinion, targets)].append(opinion)
        here: dict[str, Piece] = {}  # one piece per touchpoint and unit ("服务员态度很好": one opinion, once)
        for i, (touchpoint_id, start, end) in enumerate(targets):
            mine = own[i] or (_shared(i, targets, own) if chinese else _nearest(targets[i], opinions))
            piece = here.setdefault(touchpoint_id, Piece(index, start, end))
            piece.opinions += [o for o in mine if o not in piece.opinions]
            piece.start = min(piece.start, start, *(o.start for o in mine))
            piece.end = max(piece.end, end, *(o.end for o in mine))
        for touchpoint_id, piece in here.items():
            piece.alone = len(here) == 1
            found.setdefault(touchpoint_id, []).append(piece)
        previous, previous_unit = targets, index
    return found


def _distance(target: Target, opinion: Opinion) -> float:
    _, start, end = target
    if opinion.start >= end:
        return opinion.start - end  # the term before its opinion: "菜很好吃", "the food was great"
    if opinion.end <= start:
        return (start - opinion.end) * 1.2 + 0.5  # the opinion first: "好吃的菜", "great food"
    return 0.0


def _nearest_target(opinion: Opinion, targets: Sequence[Target]) -> int:
    return min(range(len(targets)), key=lambda i: _distance(targets[i], opinion))


COORDINATED_GAP = 2  # characters between two Chinese terms joined by 和 / 、 / 与


def _nearest(target: Target, opinions: Sequence[Opinion]) -> list[Opinion]:
    """English: a term without an opinion of its own shares the nearest one of its unit — English
    sentences put one verdict on a list ("excellent food and service", "the food and service were great")."""
    return [min(opinions, key=lambda o: _distance(target, o))] if opinions else []


def _shared(i: int, targets: Sequence[Target], own: dict[int, list[Opinion]]) -> list[Opinion]:
    """Chinese: the opinions a term without one of its own shares are those of a term coordinated
    with it ("环境和服务都很好"), the nearer first; none otherwise, so "等了四十分钟才上菜" does not
    judge the dish and "端上来很好吃" does not praise the serving."""
    for step in range(1, len(targets)):  # the nearer coordinated term first, left before right
        for j in (i - step, i + step):
            if 0 <= j < len(targets) and own[j] and _coordinated(targets[min(i, j) : max(i, j) + 1]):
                return own[j]
    return []


def _coordinated(run: Sequence[Target]) -> bool:
    """Terms next to each other with at most a joining word between ("环境和服务", "环境、服务")."""
    return all(later[1] - earlier[2] <= COORDINATED_GAP for earlier, later in pairwise(run))


def _carried_span(opinions: Sequence[Opinion]) -> tuple[int, int]:
    return min(o.start for o in opinions), max(o.end for o in opinions)


@lru_cache(maxsize=1 << 16)
def read_opinions(unit: str, chinese: bool) -> tuple[Opinion, ...]:
    """The opinions of a unit, remembered: a batch repeats many short units ("味道不错", "服务很好")."""
    return tuple(zh_opinions(unit) if chinese else en_opinions(unit))


_HAN = re.compile(r"[\u4e00-\u9fff]")
_HEADING = re.compile(r"\s*(?:#[^#]{1,30}#|【[^】]{1,30}】|\[[^\]]{1,30}\])")


def text_opinion(normalised: str) -> float:
    """What the opinion words of a whole normalised text say, in [-1, 1]: their weights summed over
    its units, each clause weighed as the text's overall feeling weighs it (what follows "但是" /
    "but" counts double, a concession half: clauses.py), over SCALE, clipped. A reading independent
    of the sentiment model's (service QA reads every customer turn with it)."""
    chinese = bool(_HAN.search(normalised))
    total = sum(
        weight * opinion.weight
        for clause, weight in weighted_clauses(normalised, decoded=True)
        for _offset, unit in units_of(clause, chinese)
        for opinion in read_opinions(unit, chinese)
    )
    return max(-1.0, min(1.0, total / SCALE))


def phrase_opinion_words(normalised_phrase: str) -> list[str]:
    """The opinion words of a phrase, negated ones marked ("不新鲜", "not friendly"): what pain and
    delight points group on, so "等了四十分钟才上菜" and "等了半小时才上菜" are one point, "等了"."""
    return list(dict.fromkeys(o.word for o in read_opinions(normalised_phrase, bool(_HAN.search(normalised_phrase)))))


def opinion_pieces(
    items: Sequence[tuple[str, list[Target]]], chinese: bool
) -> tuple[list[str], dict[str, list[Piece]]]:
    """(units, pieces per touchpoint) of a text given as (unit, its targets) in order."""
    units, targets = [], []
    for unit, found in items:
        units.append(unit)
        targets.append(found)
    if not any(targets):
        return units, {}  # no touchpoint named: nothing to pair
    # Opinions matter only in a unit with a term, or beside one (the unit after finishes it; in
    # English the unit before may hold its adjective): most of a long review is not read twice.
    # A unit that opens with a heading of its own ("#梅子乌龙酒# 好喝", "【烤土豆皮】不好吃") names what
    # it judges: it does not finish the unit before it.
    needed = [
        bool(found)
        or (i and targets[i - 1] and not _HEADING.match(units[i]))
        or (not chinese and i + 1 < len(targets) and targets[i + 1])
        for i, found in enumerate(targets)
    ]
    read = [
        (found, read_opinions(unit, chinese) if need else [])
        for unit, found, need in zip(units, targets, needed, strict=True)
    ]
    return units, pair(read, chinese)
