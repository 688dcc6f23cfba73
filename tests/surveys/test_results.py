"""A survey's results: scores with their intervals checked against independent computations, per
store, the RATER dimensions, choices, themes from the analysis, and `carlzon surveys results`."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import numpy as np
from scipy import stats

from carlzon.analysis.service import analyse_journey
from carlzon.journeys import load_template
from carlzon.storage.store import Store
from carlzon.surveys.answers import read_form
from carlzon.surveys.definitions import load_survey
from carlzon.surveys.responses import new_draft_key, submit_response
from carlzon.surveys.results import survey_results
from tests.cli.test_cli import carlzon
from tests.surveys.test_definitions import EXAMPLE

COMPLAINTS = ("上菜太慢了，等了四十分钟", "服务员态度很差", "The soup was cold")


def answered(store: Store, n: int = 60, seed: int = 7) -> list[dict[str, list[str]]]:
    published, _ = store.publish_survey(load_survey(EXAMPLE), actor="test")
    rng = random.Random(seed)
    forms = []
    for i in range(n):
        score = rng.randint(0, 10)
        form = {
            "q.nps": [str(score)],
            "q.serving": [str(rng.randint(1, 5))],
            "q.effort": [str(rng.randint(1, 7))],
            "q.visit-reason": [rng.choice(["family", "quick"])],
        }
        if score <= 6:
            form["q.went-wrong"] = [rng.choice(COMPLAINTS)]
        for item in range(1, 23):
            form[f"q.servqual.p{item}"] = [str(rng.randint(2, 7))]
        forms.append(form)
        submit_response(
            store,
            published,
            draft_key=new_draft_key(),
            raw=read_form(published.survey, form),
            location="S12" if i % 3 else "S13",
            language="zh-Hans",
        )
    return forms


def test_the_scores_match_an_independent_computation(sqlite_store: Store) -> None:
    forms = answered(sqlite_store)
    found = survey_results(sqlite_store, "catering-visit")
    assert (found.started, found.completed, found.completion_rate) == (60, 60, 1.0)
    scores = {s.question: s for s in found.scores}
    nps = np.array([int(f["q.nps"][0]) for f in forms])
    promoters, detractors = (nps >= 9).sum(), (nps <= 6).sum()
    assert scores["nps"].value == round(100 * (promoters - detractors) / len(nps), 2)
    # Rocks's adjusted Wald: 3/4 of a promoter and of a detractor added, n + 3
    p, d = (promoters + 0.75) / 63, (detractors + 0.75) / 63
    half = 1.959964 * math.sqrt((p + d - (p - d) ** 2) / 63)
    assert scores["nps"].low == round(100 * (p - d - half), 2) and scores["nps"].high == round(100 * (p - d + half), 2)
    csat = np.array([int(f["q.serving"][0]) for f in forms])
    wilson = stats.binomtest(int((csat >= 4).sum()), len(csat)).proportion_ci(method="wilson")
    assert scores["serving"].value == round(100 * (csat >= 4).mean(), 2)
    assert (
        abs(scores["serving"].low - 100 * wilson.low) < 0.01 and abs(scores["serving"].high - 100 * wilson.high) < 0.01
    )
    ces = np.array([int(f["q.effort"][0]) for f in forms])
    t = stats.t.interval(0.95, len(ces) - 1, loc=ces.mean(), scale=stats.sem(ces))
    assert scores["effort"].value == round(ces.mean(), 2) and abs(scores["effort"].low - t[0]) < 0.01
    assert scores["serving"].touchpoint == "serving_time" and scores["effort"].touchpoint == "payment"
    reasons = found.choices["visit-reason"]
    assert reasons["family"] + reasons["quick"] == 60 and reasons["business"] == 0
    assert [d["dimension"] for d in found.rater] == [
        "tangibles",
        "reliability",
        "responsiveness",
        "assurance",
        "empathy",
    ]
    perceived = np.array([[int(f[f"q.servqual.p{i}"][0]) for i in range(1, 5)] for f in forms])
    assert abs(found.rater[0]["perception"] - perceived.mean()) < 0.01
    stores = {row["store"]: row["responses"] for row in found.by_store}
    assert stores == {"S12": 40, "S13": 20}
    assert survey_results(sqlite_store, "catering-visit", location="S13").completed == 20
    assert len(found.comments) == 10 and all(c["text"] in COMPLAINTS for c in found.comments)


def test_the_open_answers_themes_come_from_the_analysis(sqlite_store: Store) -> None:
    sqlite_store.save_journey(load_template("catering"))
    answered(sqlite_store, n=30)
    assert survey_results(sqlite_store, "catering-visit").themes == []  # not analysed yet
    analyse_journey(store=sqlite_store, journey_id="catering")
    themes = {t["touchpoint_id"]: t for t in survey_results(sqlite_store, "catering-visit").themes}
    assert {"serving_time", "service_attitude"} <= set(themes)
    assert themes["serving_time"]["sentiment"] < 0 and themes["serving_time"]["examples"]


def test_cli_surveys_results(tmp_path: Path) -> None:
    env = {"CARLZON_WORKSPACE": str(tmp_path / "ws")}
    published = carlzon("surveys", "publish", str(EXAMPLE), cwd=tmp_path, env=env)
    assert published.returncode == 0, published.stderr
    empty = carlzon("surveys", "results", "catering-visit", cwd=tmp_path, env=env)
    assert empty.returncode == 0 and "No answers yet" in empty.stdout
    store = Store.from_url(f"sqlite:///{tmp_path / 'ws' / 'carlzon.db'}")
    try:
        answered(store, n=12)
    finally:
        store.dispose()
    table = carlzon("surveys", "results", "catering-visit", cwd=tmp_path, env=env)
    assert table.returncode == 0, table.stderr
    assert "12 response(s) sent" in table.stdout and "CSAT % top-2-box" in table.stdout and "tangibles" in table.stdout
    body = json.loads(carlzon("surveys", "results", "catering-visit", "--json", cwd=tmp_path, env=env).stdout)
    assert body["completed"] == 12 and {s["question"] for s in body["scores"]} == {"nps", "serving", "effort"}
    elsewhere = carlzon("surveys", "results", "catering-visit", "--store", "Nowhere", cwd=tmp_path, env=env)
    assert elsewhere.returncode == 0 and "No answers in this selection" in elsewhere.stdout
    assert "stores with answers: S12, S13" in " ".join(elsewhere.stdout.split())
    missing = carlzon("surveys", "results", "nope", cwd=tmp_path, env=env)
    assert missing.returncode != 0 and "no survey 'nope'" in missing.stderr and "Traceback" not in missing.stderr
