"""Benchmark text analytics on ../shared/datasets: zero-shot and trained sentiment, and pipeline speed.

Usage: .venv/bin/python bench/analysis.py [--datasets ../shared/datasets] [--skip-large]

For each dataset: the zero-shot default and a model trained on train.csv, both measured on
test.csv (accuracy / macro-F1), with training and prediction speed. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from carlzon.analysis.trained import evaluate_model, evaluate_predictions, load_model, read_labelled, train_model

SETS = ("chnsenticorp_htl", "waimai_10k", "online_shopping_10_cats", "twitter_us_airline_sentiment")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "datasets")
    parser.add_argument("--skip-large", action="store_true", help="skip online_shopping_10_cats (50k training texts)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name in SETS:
            if args.skip_large and name == "online_shopping_10_cats":
                continue
            train, test = args.datasets / name / "train.csv", args.datasets / name / "test.csv"
            if not test.exists():
                print(f"skipped {name}: {test} is absent")
                continue
            started = time.perf_counter()
            zero = evaluate_model("sentiment", test, text_column="text", label_column="label", model=None)
            zero_rate = zero.n / (time.perf_counter() - started)
            pooled = evaluate_model(
                "sentiment", test, text_column="text", label_column="label", model=None, unlabeled=train
            )  # train.csv texts as unlabelled feedback; labels unread
            started = time.perf_counter()
            model_path = Path(folder) / f"{name}.joblib"
            train_model("sentiment", train, text_column="text", label_column="label", out=model_path)
            train_seconds = time.perf_counter() - started
            texts, labels = read_labelled(test, "text", "label")
            pipeline = load_model(model_path, "sentiment")["pipeline"]
            started = time.perf_counter()
            predicted = list(pipeline.predict(texts))
            predict_rate = len(texts) / (time.perf_counter() - started)
            trained = evaluate_predictions(labels, predicted)
            rows.append((name, zero, pooled, zero_rate, trained, train_seconds, predict_rate, len(pd.read_csv(train))))
    print(
        "\n| dataset | zero-shot acc / macro-F1 | zero-shot + unlabelled train texts | zero-shot texts/s | "
        "trained acc / macro-F1 | train rows | train s (incl. hold-out) | predict texts/s |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, zero, pooled, zero_rate, trained, seconds, rate, n_train in rows:
        print(
            f"| {name} | {zero.accuracy:.3f} / {zero.macro_f1:.3f} | {pooled.accuracy:.3f} / {pooled.macro_f1:.3f} "
            f"| {zero_rate:,.0f} | {trained.accuracy:.3f} / {trained.macro_f1:.3f} | {n_train:,} | {seconds:.1f} "
            f"| {rate:,.0f} |"
        )


if __name__ == "__main__":
    main()
