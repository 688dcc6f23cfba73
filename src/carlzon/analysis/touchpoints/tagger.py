"""Tag clauses with the journey touchpoints they talk about, from the journey's own taxonomy.

Matching runs on normalised text (simplified Chinese, lower-case), so one simplified term
also finds its traditional spelling. All terms of all touchpoints (and the English plurals
"-s"/"-es") go into one Aho-Corasick automaton (pyahocorasick, C), which finds the longest
term at each position in one scan of the clause — 20x faster than a regular-expression
alternation of hundreds of terms — so "customer service" is complaint handling, not the generic
"service" of service attitude. English terms must stand on word boundaries, so "bill" does not
fire inside "billion" — except inside a hashtag, where words run together: "#lostluggage" and
"#badcustomerservice" name baggage and customer service (terms of five letters or more, spaces
dropped, so "app" does not fire inside "#happy").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import ahocorasick

from carlzon.analysis.language import normalise
from carlzon.journeys.models import Journey

_HAS_LATIN = re.compile(r"[a-z]")
_HASHTAG = re.compile(r"(?<![a-z0-9_])#([a-z]+)")
HASHTAG_TERM = 5  # shortest term found inside a hashtag's run-together words
# pyahocorasick's iter_long misses a short term at the very end of the text when a longer term
# starts the same way ("好" in "不太好" beside "太好了"): a character no term holds, appended, lets
# the scan fall back to the shorter term.
END = "\x00"
SPANS_REMEMBERED = 1 << 16
# Chinese words that hold a journey's term but are other words: matched as the longest word at
# their place, they hide it ("质量很好" is quality, not the portion term "量很"; "冷淡" is a cold
# waiter, not bland food; "虫草" is cordyceps, not an insect). A journey's own term always wins.
NOT_TERMS = (
    "质量",
    "流量",
    "人流量",
    "客流量",
    "车流量",
    "销量",
    "音量",
    "含量",
    "热量",
    "能量",
    "力量",
    "商量",
    "考量",
    "尽量",
    "酒量",
    "消费者",
    "冷淡",
    "淡定",
    "淡季",
    "虫草",
    "服务区",
    "出菜口",
    "出菜区",
    "五脏俱全",
    "淡雅",
    "淡奶油",
    "馋虫",
    "冬虫夏草",
    "工作量",
    "晚上",
    "早上",
    "网上",
    "路上",
    "做了很久的",
    "做了好久的",
)


def _is_letter(char: str) -> bool:
    return "a" <= char <= "z"


class TouchpointTagger:
    """Finds which touchpoints of ``journey`` a normalised clause mentions."""

    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self._order = {tp.id: index for index, tp in enumerate(journey.touchpoints())}
        owners: dict[str, list[str]] = {}
        for tp in journey.touchpoints():
            for term in tp.keywords.all_terms():
                key = normalise(term)
                if key and tp.id not in owners.setdefault(key, []):
                    owners[key].append(tp.id)
        self._automaton = ahocorasick.Automaton()
        for term, ids in owners.items():
            latin = bool(_HAS_LATIN.search(term))
            variants = (term, f"{term}s", f"{term}es") if latin else (term,)
            for variant in variants:
                if variant == term or variant not in owners:
                    self._automaton.add_word(variant, (tuple(ids), latin, len(variant)))
        if owners:
            for word in NOT_TERMS:
                if word not in owners:
                    self._automaton.add_word(word, ((), False, len(word)))
            self._automaton.make_automaton()
        self._hashtag_terms = _hashtag_automaton(owners)
        self._spans: dict[str, list[tuple[str, int, int]]] = {}
        # Where what a unit names without a term goes (implicit.py): a wait for a crowd, to the
        # touchpoints the journey files 排队 (queueing) under; the size of the place, to 空间 (space).
        self.queue_ids = tuple(owners.get(normalise("排队"), ()))
        self.space_ids = tuple(owners.get(normalise("空间"), ()))

    def tag(self, normalised_clause: str) -> list[str]:
        """Touchpoint ids mentioned in the clause, in journey order."""
        found = {tp for ids, _, _ in self._matches(normalised_clause) for tp in ids}
        return sorted(found, key=self._order.__getitem__)

    def mentions(self, normalised_text: str) -> list[tuple[str, int]]:
        """Every keyword occurrence as (touchpoint id, start), in text order; a term two touchpoints
        share counts for both."""
        found = [(tp, start) for ids, start, _ in self._matches(normalised_text) for tp in ids]
        return sorted(found, key=lambda mention: mention[1]) if "#" in normalised_text else found

    def spans(self, normalised_text: str) -> list[tuple[str, int, int]]:
        """Every keyword occurrence as (touchpoint id, start, end): where opinions are paired with it."""
        found = self._spans.get(normalised_text)
        if found is None:
            found = [(tp, start, end) for ids, start, end in self._matches(normalised_text) for tp in ids]
            if len(self._spans) < SPANS_REMEMBERED:  # a batch repeats many short units
                self._spans[normalised_text] = found
        return found

    def _matches(self, text: str) -> Iterator[tuple[tuple[str, ...], int, int]]:
        """(touchpoint ids, start, end) of every term found: words in text order, then terms run
        together inside hashtags; a hashtag that is one term ("#delays") was found as a word."""
        if not len(self._automaton) or not text:
            return
        for end, (ids, latin, length) in self._automaton.iter_long(text + END):
            start = end - length + 1
            if latin:
                ids, length = self._on_word_boundaries(text, start, length)
            yield ids, start, start + length
        if "#" not in text or not len(self._hashtag_terms):
            return
        for tag in _HASHTAG.finditer(text):
            body, offset = tag.group(1), tag.start(1)
            if not self._automaton.exists(body):
                for end, (ids, length) in self._hashtag_terms.iter_long(body):
                    yield ids, offset + end - length + 1, offset + end + 1

    def _on_word_boundaries(self, text: str, start: int, length: int) -> tuple[tuple[str, ...], int]:
        """Touchpoints and length of the longest term at ``start`` that stands on word boundaries
        ("price" in "price dropped", where the longest match "price drop" ends inside a word), or none."""
        if start > 0 and _is_letter(text[start - 1]):
            return (), length
        for size in range(length, 0, -1):
            end = start + size
            if end < len(text) and _is_letter(text[end]):
                continue
            value = self._automaton.get(text[start:end], None)
            if value is not None:
                return value[0], size
        return (), length


def _hashtag_automaton(owners: dict[str, list[str]]) -> ahocorasick.Automaton:
    """Latin-script terms of HASHTAG_TERM letters or more with spaces and hyphens dropped
    ("customer service" -> "customerservice"), as they are written inside a hashtag."""
    automaton = ahocorasick.Automaton()
    for term, ids in owners.items():
        joined = re.sub(r"[ \-]", "", term)
        if len(joined) >= HASHTAG_TERM and joined.isascii() and joined.isalpha():
            automaton.add_word(joined, (tuple(ids), len(joined)))
    if len(automaton):
        automaton.make_automaton()
    return automaton
