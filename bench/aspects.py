"""Benchmark touchpoint-level sentiment on aspect-labelled reviews: ASAP (Chinese) and SemEval-2014 (English).

Usage: .venv/bin/python bench/aspects.py [--datasets ../shared/datasets]

Runs what `carlzon evaluate aspects` runs (the catering journey, zero-shot, the label maps in
examples/label_maps/) on ../shared/datasets/asap_sample/train.csv (wide format) and on the
SemEval-2014 restaurant test and train splits (long format; train is a second check that the
English rules are not fitted to the test sentences). Prints Markdown tables for bench/RESULTS.md:
per dataset, detection macro-F1, polarity accuracy (positive and negative gold aspects that were
found, judged by the prediction's sign), neutral F1, phrase medians and texts/s; then per touchpoint;
then trained (`carlzon train aspects` + `--aspect-model`): SemEval train -> test, and ASAP in five
folds (train on four fifths, measure on the fifth; its 200 reviews are too few for a split).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from carlzon.analysis.training.aspects import evaluate_aspects, train_aspects
from carlzon.analysis.training.labelled import load_label_map
from carlzon.journeys import load_template

MAPS = Path(__file__).resolve().parents[1] / "examples" / "label_maps"
SETS = (
    # name, file, format, label map, group column
    ("ASAP (asap_sample, zh)", "asap_sample/train.csv", "wide", "asap_aspects.yaml", None),
    (
        "SemEval-2014 restaurants test (en)",
        "semeval2014_restaurants_acsa/test.csv",
        "long",
        "semeval_restaurant_aspects.yaml",
        "sentence_id",
    ),
    (
        "SemEval-2014 restaurants train (en)",
        "semeval2014_restaurants_acsa/train.csv",
        "long",
        "semeval_restaurant_aspects.yaml",
        "sentence_id",
    ),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "datasets")
    args = parser.parse_args()
    journey = load_template("catering")
    summary = [
        "| dataset | texts | detection macro-F1 | polarity accuracy | neutral F1 "
        "| phrase median (chars / words) | texts/s |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    details = [
        "| dataset | touchpoint | detection F1 | precision | recall | support | polar | polarity |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, file, data_format, label_map, group in SETS:
        path = args.datasets / file
        if not path.exists():
            print(f"skipped {name}: {path} is not there")
            continue
        started = time.perf_counter()
        report = evaluate_aspects(
            path,
            journey=journey,
            label_map=load_label_map(MAPS / label_map),
            data_format=data_format,
            group_column=group,
        )
        seconds = time.perf_counter() - started
        summary.append(
            f"| {name} | {report['n']:,} | {report['detection_macro_f1']:.3f} | {report['polarity_accuracy']:.3f} "
            f"| {report['neutral_f1']:.3f} | {report['phrase_chars_median']:g} / {report['phrase_words_median']:g} "
            f"| {report['n'] / seconds:,.0f} (with the prior refitted) |"
        )
        for touchpoint, scores in report["per_touchpoint"].items():
            polarity = scores["polarity_accuracy"]
            details.append(
                f"| {name} | {touchpoint} | {scores['f1']:.3f} | {scores['precision']:.3f} | {scores['recall']:.3f} "
                f"| {scores['support']} | {scores['polar']} | {'—' if polarity is None else f'{polarity:.3f}'} |"
            )
    print("\n".join(summary))
    print()
    print("\n".join(details))
    print()
    print("\n".join(trained_rows(args.datasets, journey)))


def trained_rows(datasets: Path, journey) -> list[str]:  # type: ignore[no-untyped-def]
    lines = [
        "| trained aspect model | mentions taught | polarity accuracy zero-shot -> trained "
        "| neutral F1 zero-shot -> trained |",
        "| --- | --- | --- | --- |",
    ]
    semeval = datasets / "semeval2014_restaurants_acsa"
    if (semeval / "train.csv").exists():
        label_map = load_label_map(MAPS / "semeval_restaurant_aspects.yaml")
        reading = {"data_format": "long", "group_column": "sentence_id"}
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "aspects.npz"
            model = train_aspects(semeval / "train.csv", journey=journey, label_map=label_map, out=out, **reading)
            zero = evaluate_aspects(semeval / "test.csv", journey=journey, label_map=label_map, **reading)
            trained = evaluate_aspects(semeval / "test.csv", journey=journey, label_map=label_map, model=out, **reading)
        lines.append(
            f"| SemEval-2014 train -> test | {model['n_train']:,} | {zero['polarity_accuracy']:.3f} -> "
            f"**{trained['polarity_accuracy']:.3f}** | {zero['neutral_f1']:.3f} -> {trained['neutral_f1']:.3f} |"
        )
    asap = datasets / "asap_sample" / "train.csv"
    if asap.exists():
        lines.append(_folds(asap, journey, load_label_map(MAPS / "asap_aspects.yaml")))
    return lines


def _folds(path: Path, journey, label_map: dict, folds: int = 5) -> str:  # type: ignore[no-untyped-def,type-arg]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    zero_right = trained_right = polar = taught = 0
    zero_neutral, trained_neutral = [], []
    with tempfile.TemporaryDirectory() as folder:
        for fold in range(folds):
            test = frame.iloc[fold::folds]
            train = frame.drop(test.index)
            train_path, test_path = Path(folder) / "train.csv", Path(folder) / "test.csv"
            train.to_csv(train_path, index=False)
            test.to_csv(test_path, index=False)
            out = Path(folder) / "aspects.npz"
            taught += train_aspects(train_path, journey=journey, label_map=label_map, out=out)["n_train"]
            zero = evaluate_aspects(test_path, journey=journey, label_map=label_map)
            trained = evaluate_aspects(test_path, journey=journey, label_map=label_map, model=out)
            n = sum(scores["polar"] for scores in zero["per_touchpoint"].values())
            polar += n
            zero_right += round(zero["polarity_accuracy"] * n)
            trained_right += round(trained["polarity_accuracy"] * n)
            zero_neutral.append(zero["neutral_f1"])
            trained_neutral.append(trained["neutral_f1"])
    return (
        f"| ASAP, {folds} folds | {taught // folds:,} a fold "
        f"| {zero_right / polar:.3f} -> **{trained_right / polar:.3f}** "
        f"| {sum(zero_neutral) / folds:.3f} -> {sum(trained_neutral) / folds:.3f} (mean of folds) |"
    )


if __name__ == "__main__":
    main()
