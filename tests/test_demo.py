"""The main job end to end, as `make demo` runs it, checked against what the generator planted."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from carlzon.config import Settings
from carlzon.demo import OWN_BRAND, PLANTED, generate_example_feedback, run_demo
from tests.cli.test_cli import carlzon

CHROMIUM = "/usr/bin/chromium"


def _moment(html: str, label: str) -> str:
    found = re.search(rf'data-moment="{label}" data-touchpoint="([a-z_]+)"', html)
    assert found, f"the report names no {label} moment"
    return found.group(1)


def test_demo_command_writes_a_report_naming_the_planted_moments(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    result = carlzon("demo", "--workspace", str(workspace), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = Path(result.stdout.strip().splitlines()[-1])
    assert report == (workspace / "report.html").resolve()
    html = report.read_text(encoding="utf-8")
    assert 'id="emotion-curve"' in html
    assert "Plotly.newPlot" in html
    assert _external_references(html) == []  # self-contained: nothing loaded from elsewhere
    assert (_moment(html, "peak"), _moment(html, "trough"), _moment(html, "end")) == (
        PLANTED["peak"],
        PLANTED["trough"],
        PLANTED["end"],
    )
    first_ranked = re.search(r'<tr data-touchpoint="([a-z_]+)" data-stage="moment"><td>1</td>', html)
    assert first_ranked and first_ranked.group(1) == PLANTED["trough"]
    assert "SYNTHETIC" in (workspace / "example_feedback.README.txt").read_text(encoding="utf-8")
    assert re.search(r"SLA clocks: \d+ open tasks counted in their department's working hours", result.stdout)
    login = re.search(r"sign in at http://127\.0\.0\.1:8000/ as (\S+) / (\S+)", result.stdout.replace("\n", " "))
    assert login, result.stdout
    from carlzon.accounts.service import authenticate
    from carlzon.storage import Store

    demo_store = Store.from_url(f"sqlite:///{workspace / 'carlzon.db'}")
    try:
        assert (
            authenticate(store=demo_store, username=login.group(1), password=login.group(2), source=None).role.value
            == "admin"
        )
    finally:
        demo_store.dispose()
    opened = re.search(r"opened (\d+) tasks, (\d+) of them critical", result.stdout)
    assert opened and int(opened.group(1)) > int(opened.group(2)) > 0, result.stdout  # a critical one among them
    assert (workspace / "rules.yaml").exists()
    assert "<svg" in (workspace / "survey-qr.svg").read_text(encoding="utf-8")
    surveys = carlzon("surveys", "list", "--json", cwd=tmp_path, env={"CARLZON_WORKSPACE": str(workspace)})
    assert [(s["id"], s["status"]) for s in json.loads(surveys.stdout)] == [("catering-visit", "open")]
    assert "survey published with 90 answers" in " ".join(result.stdout.split())
    assert '<section id="surveys">' in html and 'data-survey="catering-visit"' in html
    answered = carlzon(
        "surveys", "results", "catering-visit", "--json", cwd=tmp_path, env={"CARLZON_WORKSPACE": str(workspace)}
    )
    stores = {row["store"]: row["nps"]["value"] for row in json.loads(answered.stdout)["by_store"]}
    assert min(stores, key=stores.__getitem__) == "Shanghai Jing'an"  # the planted slow kitchen
    assert "service conversations: 240 imported (0 already there)" in " ".join(result.stdout.split())
    assert 'data-most-missed="confirm"' in html  # the planted team that never confirms pulls it down
    never = re.search(r'<tr data-team="Online Chat C">.*?</tr>', html, re.S)
    assert never and re.findall(r">(\d+)%<", never.group(0))[3] == "0", "Online Chat C confirms nothing"
    waited = re.search(r"(\d+)% waited 10 minutes or more", html)
    assert waited and int(waited.group(1)) > 0, "the planted slow first answers of Online Chat C"
    coached = carlzon("qa", "report", "--json", cwd=tmp_path, env={"CARLZON_WORKSPACE": str(workspace)})
    agents = {a["name"]: a for a in json.loads(coached.stdout)["agents"]}
    assert min(agents, key=lambda name: agents[name]["mean_score"]) == "B-07"  # the planted brush-off
    assert '<section id="tasks">' in html and 'data-department="Quality &amp; Food Safety"' in html
    critical = carlzon("tasks", "list", "--json", cwd=tmp_path, env={"CARLZON_WORKSPACE": str(workspace)})
    assert any(
        t["priority"] == "critical" and t["department"] == "Quality & Food Safety" for t in json.loads(critical.stdout)
    )
    follow_ups = [t for t in json.loads(critical.stdout) if t["rule_id"] == "unconfirmed-complaint"]
    assert follow_ups and all(t["recovery"] and t["department"] == "Customer service" for t in follow_ups)

    again = carlzon("demo", "--workspace", str(workspace), cwd=tmp_path)
    assert again.returncode == 0
    assert "imported 0 new records (2400 already there)" in again.stdout
    assert "opened 0 tasks" in again.stdout  # each rule reads only what it has not seen
    said = " ".join(again.stdout.split())
    assert "service conversations: 0 imported (240 already there)" in said
    assert "survey published with 90 answers" in said  # none sent twice


def _external_references(html: str) -> list[str]:
    """src/href attributes outside the inlined plotly.js bundle that point off the page."""
    start = html.index('<script type="text/javascript">')
    end = html.index("</script>", start)
    outside = html[:start] + html[end:]
    return re.findall(r"""(?:src|href)\s*=\s*["'](?:https?:)?//[^"']+""", outside)


def test_report_renders_offline_in_chromium(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium")
    result = run_demo(Settings(workspace=tmp_path / "ws"))
    outside: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()

        def block(route) -> None:  # type: ignore[no-untyped-def]
            if not route.request.url.startswith(("file:", "data:", "blob:")):
                outside.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        page.route("**/*", block)
        page.goto(result.report.as_uri())
        page.wait_for_selector("#emotion-curve .main-svg", timeout=20000)
        labels = page.locator("#emotion-curve g.textpoint text").all_text_contents()
        page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
        browser.close()
    assert outside == []
    assert {"PEAK", "TROUGH", "END"} <= set(labels)


def test_example_set_is_deterministic_and_mixed() -> None:
    rows = generate_example_feedback()
    assert rows == generate_example_feedback()
    assert len(rows) >= 2000
    assert {r.channel for r in rows} == {"call_centre", "app_review", "social", "store", "survey"}
    assert len({r.brand for r in rows}) == 3
    assert all(r.nps is not None for r in rows if r.channel == "survey")
    texts = " ".join(r.text for r in rows)
    assert "上菜" in texts and "上菜" in texts and "food" in texts
    assert "乾淨" in texts or "態度" in texts  # traditional Chinese records


@pytest.mark.postgres
def test_main_job_runs_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    result = run_demo(Settings(workspace=tmp_path / "ws", database_url=postgres_url))
    assert result.loaded.imported == 2400
    html = result.report.read_text(encoding="utf-8")
    assert _moment(html, "trough") == PLANTED["trough"]
    assert OWN_BRAND in html


def test_a_small_demo_still_writes_its_report(tmp_path: Path) -> None:
    # Issue #17, item 13: --count 400 failed at the review step (too few mentions) and wrote no report.
    result = run_demo(Settings(workspace=tmp_path / "ws"), count=400)
    html = result.report.read_text(encoding="utf-8")
    assert "Not reviewed yet" in html and "too few mentions" in html
