"""Fill empty ``zh_hant`` keyword and example lists in journey YAML files from ``zh_hans``.

Usage: python scripts/fill_traditional.py src/carlzon/journeys/templates/*.yaml

Why a script rather than hand-typing: OpenCC (s2twp, Taiwan phrasing) converts reliably, and
the result is written into the file so a CX team can then edit the traditional terms freely.
The file's leading comment lines are kept.
"""

from __future__ import annotations

import sys
from pathlib import Path

import opencc
import yaml

_S2T = opencc.OpenCC("s2twp")


def _fill(lexicon: dict) -> None:
    if lexicon.get("zh_hans") and not lexicon.get("zh_hant"):
        terms = [_S2T.convert(term) for term in lexicon["zh_hans"]]
        ordered = {"zh_hans": lexicon["zh_hans"], "zh_hant": list(dict.fromkeys(terms))}
        ordered.update({k: v for k, v in lexicon.items() if k not in ordered})
        lexicon.clear()
        lexicon.update(ordered)


def fill_file(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    data = yaml.safe_load(text)
    for stage in data["stages"]:
        for touchpoint in stage["touchpoints"]:
            for key in ("keywords", "examples"):
                if key in touchpoint:
                    _fill(touchpoint[key])
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    path.write_text(header + body, encoding="utf-8")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        fill_file(Path(name))
        print(f"filled {name}")
