"""What a fresh-eyes pass found, kept fixed: YAML bombs, impossible dates, a member reading other
departments' feedback through aggregates, inputs past sane sizes."""

from __future__ import annotations

import time

from tests.web.conftest import Site

BOMB = (
    'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
)


def test_yaml_aliases_are_refused_at_once(sqlite_site: Site) -> None:
    with sqlite_site.client("admin") as client:
        started = time.monotonic()
        bomb = client.post("/api/v1/rules/validate", json={"yaml": BOMB})
        loop = client.post("/api/v1/rules/validate", json={"yaml": "a: &a [*a]"})
        funnel = client.post("/api/v1/funnel", json={"tree": BOMB, "daily": "date\n2026-01-01\n"})
    assert time.monotonic() - started < 5
    assert bomb.status_code == 422 and "aliases" in bomb.json()["error"]["details"][0]["message"]
    assert loop.status_code == 422 and funnel.status_code == 422


def test_an_impossible_date_is_quarantined_and_a_huge_span_refused(sqlite_site: Site) -> None:
    with sqlite_site.client("admin") as client:
        pushed = client.post(
            "/api/v1/feedback", json={"id": "y1", "text": "ok", "created_at": "0001-01-01", "channel": "store"}
        ).json()
        listed = client.get("/api/v1/feedback")
        span = client.post("/api/v1/rules/test", json={"yaml": "journey: catering\nrules: []\n", "since": "99999999d"})
    assert pushed["quarantined"] == 1 and pushed["rejections"][0]["field"] == "created_at"
    assert listed.status_code == 200
    assert span.status_code == 422


def test_a_member_reads_no_other_departments_feedback_through_aggregates(analysed_site: Site) -> None:
    with analysed_site.client("chef") as chef, analysed_site.client("reader") as reader:
        rules = chef.post("/api/v1/rules/test", json={"yaml": "journey: catering\nrules: []\n"})
        own_view = chef.get("/api/v1/journeys/catering/touchpoints/serving_time").json()
        wide_view = reader.get("/api/v1/journeys/catering/touchpoints/serving_time").json()
    assert rules.status_code == 403 and "member of Kitchen" in rules.json()["error"]["message"]
    assert own_view["pains"] == [] and own_view["delights"] == [] and wide_view["pains"]
    client, _ = analysed_site.signed_in("chef")
    assert client.get("/rules").status_code == 403


def test_a_comment_or_an_assignee_past_a_sane_size_is_refused(sqlite_site: Site) -> None:
    task = sqlite_site.tasks["Kitchen"]
    with sqlite_site.client("admin") as admin:
        long = admin.post(f"/api/v1/tasks/{task}/actions", json={"action": "comment", "note": "x" * 20_000})
        name = admin.post(f"/api/v1/tasks/{task}/actions", json={"action": "assign", "assignee": "y" * 500})
    assert long.status_code == 422 and "keep it under" in long.json()["error"]["message"]
    assert name.status_code == 422


def test_an_invalid_batch_is_an_error_not_one_odd_record(sqlite_site: Site) -> None:
    with sqlite_site.client("admin") as client:
        empty = client.post("/api/v1/feedback", json={"records": []})
        wrong = client.post("/api/v1/feedback", json={"records": "no"})
    assert empty.status_code == 422 and wrong.status_code == 422
    assert sqlite_site.store.list_quarantine() == []
