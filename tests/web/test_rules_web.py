"""Rules in the web app and the API: checked with every problem's line, dry-run over the stored
feedback, nothing written."""

from __future__ import annotations

from importlib import resources

from tests.web.conftest import Site

EXAMPLE = (resources.files("carlzon.actions") / "examples" / "catering-rules.yaml").read_text(encoding="utf-8")


def test_the_api_checks_a_rules_text_and_dry_runs_it(analysed_site: Site) -> None:
    broken = EXAMPLE.replace("priority: critical", "priority: urgent", 1)
    with analysed_site.client("reader") as client:
        good = client.post("/api/v1/rules/validate", json={"yaml": EXAMPLE}).json()
        bad = client.post("/api/v1/rules/validate", json={"yaml": broken})
        run = client.post("/api/v1/rules/test", json={"yaml": EXAMPLE, "since": ""}).json()
    assert good["ok"] is True and good["rules"] >= 3 and good["journey_checked"] is True
    assert bad.status_code == 422
    problem = bad.json()["error"]["details"][0]
    line = next(n for n, text in enumerate(broken.splitlines(), start=1) if "urgent" in text)
    assert problem["line"] == line and problem["field"].endswith("priority")
    assert run["records"] > 0 and any(rule["matches"] > 0 for rule in run["rules"])
    assert analysed_site.store.list_tasks(statuses=["open"], department="Quality & Food Safety") == []


def test_the_rules_page_checks_and_dry_runs_without_writing(analysed_site: Site) -> None:
    client, csrf = analysed_site.signed_in("analyst")
    before = len(analysed_site.store.list_tasks())
    checked = client.post("/rules", data={"yaml": EXAMPLE, "action": "validate", "csrf_token": csrf}).text
    assert 'id="valid"' in checked
    ran = client.post("/rules", data={"yaml": EXAMPLE, "action": "test", "since": "", "csrf_token": csrf}).text
    assert 'id="dry-run"' in ran and ran.count("data-rule=") >= 3
    broken = client.post(
        "/rules", data={"yaml": EXAMPLE.replace("journey: catering", "journey: [", 1), "action": "validate",
                        "csrf_token": csrf}
    ).text  # fmt: skip
    assert 'class="problems"' in broken
    assert len(analysed_site.store.list_tasks()) == before
    forged = client.post("/rules", data={"yaml": EXAMPLE, "action": "test"})
    assert forged.status_code == 403
