"""Benchmark service-conversation QA on NTCIR STC-3 customer–helpdesk dialogues (zero-shot).

Usage: .venv/bin/python bench/serviceqa.py [--datasets ../shared/datasets] [--repeat 3]

Per language: Spearman of the conversation score with the 19 annotators' mean A (task
accomplished), S (satisfaction) and E (effectiveness), nugget macro-F1 of the per-turn reading,
and the scorer's speed (conversations/s, best of ``--repeat``, the customer's last-turn sentiment
included) with the process's peak RSS. Prints a Markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from carlzon.serviceqa.evaluate import evaluate_conversations
from carlzon.serviceqa.feelings import last_customer_sentiments
from carlzon.serviceqa.files import load_conversations
from carlzon.serviceqa.scoring import score_conversation
from carlzon.serviceqa.training import cross_validate, cross_validate_nuggets, gold_nuggets, quality_targets

BASELINES = {"zh": (0.554, 0.512), "en": (0.488, 0.438)}  # S, A of the last customer turn's sentiment alone
TARGETS = {"zh": (0.62, 0.58), "en": (0.56, 0.50)}


def speed(path: Path, repeat: int) -> float:
    conversations = load_conversations(path)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        feelings = last_customer_sentiments(conversations)
        for conversation, feeling in zip(conversations, feelings, strict=True):
            score_conversation(conversation, feeling)
        best = min(best, time.perf_counter() - started)
    return len(conversations) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "datasets")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lines = [
        "| language | dialogues | Spearman S (baseline / target) | Spearman A (baseline / target) | Spearman E "
        "| nugget macro-F1 | HNUG* F1 | conversations/s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for language in ("zh", "en"):
        path = args.datasets / "stc3_helpdesk_dialogues" / f"dialogues_{language}.jsonl"
        if not path.exists():
            print(f"skipped {language}: {path} is not there")
            continue
        report = evaluate_conversations(path)
        rho = report["spearman"]
        (s_base, a_base), (s_goal, a_goal) = BASELINES[language], TARGETS[language]
        lines.append(
            f"| {language} | {report['n']:,} | {rho['S']:.3f} ({s_base} / {s_goal}) "
            f"| {rho['A']:.3f} ({a_base} / {a_goal}) "
            f"| {rho['E']:.3f} | {report['nugget_macro_f1']:.3f} | {report['per_nugget'].get('HNUG*', 0):.3f} "
            f"| {speed(path, args.repeat):,.0f} |"
        )
    print("\n".join(lines))
    print()
    print(
        "| trained (`carlzon qa train`), 5-fold | dialogues | Spearman S | Spearman A | Spearman E | nugget macro-F1 |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for language in ("zh", "en"):
        path = args.datasets / "stc3_helpdesk_dialogues" / f"dialogues_{language}.jsonl"
        if path.exists():
            conversations = load_conversations(path)
            rho = cross_validate(conversations, quality_targets(conversations, path))
            nuggets = cross_validate_nuggets(conversations, gold_nuggets(conversations) or [])
            print(
                f"| {language} | {len(conversations):,} | {rho['S']:.3f} | {rho['A']:.3f} | {rho['E']:.3f} "
                f"| {nuggets:.3f} |"
            )
    print(f"\nPeak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
