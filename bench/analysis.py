"""Benchmark text analytics on ../shared/datasets: sentiment, touchpoints and the pipeline's throughput.

Usage: .venv/bin/python bench/analysis.py [--datasets ../shared/datasets] [--skip-large]
       [--embeddings twitter_us_airline_sentiment ...] [--skip-pipeline]

Sentiment, per dataset, on test.csv (accuracy / macro-F1): the zero-shot default (its Chinese
prior refitted without any corpus sentence overlapping the test texts), the same with train.csv's
texts as unlabelled feedback, and a model trained on train.csv with its training and prediction
speed; ``--embeddings`` adds a model with e5 sentence embeddings for the datasets named.
Touchpoints: zero-shot (the journey's taxonomy) and trained, on SemEval-2014 restaurant aspects
(catering journey, multi-label, micro-F1) and the airline tweets' negative reasons (airline
journey, macro-F1), both through the label maps in examples/label_maps. Then the throughput of
the whole default pipeline (bench/pipeline.py). Prints Markdown tables for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from functools import partial
from pathlib import Path

from pipeline import REPEATS, best_of, pipeline_table  # bench/pipeline.py, beside this script

from carlzon.analysis.training.evaluate import evaluate_model, evaluate_predictions, evaluate_touchpoints_zero_shot
from carlzon.analysis.training.labelled import load_label_map, read_labelled
from carlzon.analysis.training.train import train_model
from carlzon.journeys import load_template

SETS = ("chnsenticorp_htl", "waimai_10k", "online_shopping_10_cats", "twitter_us_airline_sentiment")
MAPS = Path(__file__).resolve().parents[1] / "examples" / "label_maps"
TOUCHPOINT_SETS = (
    # dataset, label column, group column, journey, label map, headline metric
    (
        "semeval2014_restaurants_acsa",
        "aspect",
        "sentence_id",
        "catering",
        "semeval_restaurant_aspects.yaml",
        "micro_f1",
    ),
    ("twitter_us_airline_sentiment", "negativereason", None, "airline", "airline_negativereason.yaml", "macro_f1"),
)


def _pair(report: dict) -> str:  # type: ignore[type-arg]
    return f"{report['accuracy']:.3f} / {report['macro_f1']:.3f}"


def sentiment_rows(datasets: Path, folder: Path, skip_large: bool, embeddings_on: list[str]) -> list[str]:
    lines = [
        "| dataset | zero-shot acc / macro-F1 | + unlabelled train texts | trained acc / macro-F1 "
        "| train rows | train s (C chosen on a hold-out) | predict texts/s | trained + e5 embeddings |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name in SETS:
        if skip_large and name == "online_shopping_10_cats":
            continue
        train, test = datasets / name / "train.csv", datasets / name / "test.csv"
        if not test.exists():
            print(f"skipped {name}: {test} is absent")
            continue
        zero = evaluate_model("sentiment", test, text_column="text", label_column="label", model=None)
        pooled = evaluate_model(
            "sentiment", test, text_column="text", label_column="label", model=None, unlabeled=train
        )
        started = time.perf_counter()
        model = train_model("sentiment", train, text_column="text", label_column="label", out=folder / f"{name}.npz")
        train_seconds = time.perf_counter() - started
        texts, labels = read_labelled(test, "text", "label")
        classifier = model["pipeline"]
        predicted, seconds = best_of(REPEATS, partial(classifier.predict, texts))
        predict_rate = len(texts) / seconds
        trained = evaluate_predictions(labels, predicted).as_dict()
        with_embeddings = "–"
        if name in embeddings_on:
            e5_path = folder / f"{name}-e5.npz"
            train_model("sentiment", train, text_column="text", label_column="label", out=e5_path, embeddings="e5")
            e5 = evaluate_model("sentiment", test, text_column="text", label_column="label", model=e5_path)
            with_embeddings = _pair(e5)
        lines.append(
            f"| {name} | {_pair(zero)} | {_pair(pooled)} | {_pair(trained)} | {model['n_train']:,} "
            f"| {train_seconds:.1f} | {predict_rate:,.0f} | {with_embeddings} |"
        )
    return lines


def touchpoint_rows(datasets: Path, folder: Path, embeddings_on: list[str]) -> list[str]:
    lines = [
        "| dataset → journey | metric | zero-shot | trained | trained + e5 embeddings |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, label_column, group_column, journey_id, map_name, metric in TOUCHPOINT_SETS:
        train, test = datasets / name / "train.csv", datasets / name / "test.csv"
        if not test.exists():
            print(f"skipped {name}: {test} is absent")
            continue
        journey = load_template(journey_id)
        label_map = load_label_map(MAPS / map_name)
        zero = evaluate_touchpoints_zero_shot(
            test,
            journey=journey,
            label_map=label_map,
            text_column="text",
            label_column=label_column,
            group_column=group_column,
        )
        results = []
        for embeddings in (None, "e5"):
            if embeddings and name not in embeddings_on:
                results.append(None)
                continue
            out = folder / f"tp-{name}-{embeddings}.npz"
            train_model(
                "touchpoints",
                train,
                text_column="text",
                label_column=label_column,
                group_column=group_column,
                label_map=label_map,
                journey=journey,
                embeddings=embeddings,
                out=out,
            )
            results.append(
                evaluate_model(
                    "touchpoints",
                    test,
                    text_column="text",
                    label_column=label_column,
                    group_column=group_column,
                    model=out,
                )
            )
        cells = [f"{r[metric]:.3f}" if r else "–" for r in results]
        lines.append(f"| {name} → {journey_id} | {metric} | {zero[metric]:.3f} | {cells[0]} | {cells[1]} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "datasets")
    parser.add_argument("--skip-large", action="store_true", help="skip online_shopping_10_cats (50k training texts)")
    parser.add_argument(
        "--embeddings",
        nargs="*",
        default=["twitter_us_airline_sentiment"],
        help="datasets that also get a model with e5 embeddings (slow: ~100 texts/s; needs carlzon[embeddings])",
    )
    parser.add_argument("--skip-pipeline", action="store_true", help="skip the pipeline throughput table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        print("\n## Sentiment\n")
        print("\n".join(sentiment_rows(args.datasets, folder, args.skip_large, args.embeddings)))
        print("\n## Touchpoints\n")
        print("\n".join(touchpoint_rows(args.datasets, folder, args.embeddings)))
    if not args.skip_pipeline:
        print("\n## Default pipeline throughput (best of 3)\n")
        print(pipeline_table(args.datasets))


if __name__ == "__main__":
    main()
