"""The pages in a real browser (Debian's Chromium, headless, through Playwright): sign in, the
journey map chart drawn, a task moved through its states by a department member, another
department's task refused. Nothing is fetched from outside the server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORD, Site

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = os.environ.get("CARLZON_SCREENSHOTS")  # a folder: keep the pages' screenshots (docs/images)


def test_a_member_signs_in_sees_the_journey_map_and_works_a_task(analysed_site: Site, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium")
    site = analysed_site
    own, other = site.tasks["Kitchen"], site.tasks["Front of house"]
    outside: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        def block(route) -> None:  # type: ignore[no-untyped-def]
            if route.request.url.startswith(site.url):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", block)
        page.goto(f"{site.url}/journeys/catering")
        assert "/login" in page.url  # signed out: sent to sign in, and back afterwards
        page.fill("input[name=username]", "chef")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("#emotion-curve[data-drawn=true] .main-svg", timeout=20000)
        assert page.locator("#touchpoints tr[data-touchpoint]").count() > 5
        page.screenshot(path=str(tmp_path / "journey-map.png"), full_page=True)
        if SCREENSHOTS:
            page.screenshot(path=str(Path(SCREENSHOTS) / "journey-map.png"), full_page=False)

        # A point of the curve opens its touchpoint (the handler Plotly calls on a click).
        click = "{points: [{curveNumber: 1, pointNumber: 0}]}"
        page.evaluate(f"() => document.getElementById('emotion-curve').emit('plotly_click', {click})")
        page.wait_for_url("**/journeys/catering/touchpoints/**", timeout=10000)
        page.wait_for_selector("#trend[data-drawn=true] .main-svg", timeout=20000)
        page.goto(f"{site.url}/journeys/catering?lang=zh-Hans")  # the same page in Chinese
        page.wait_for_selector("#emotion-curve[data-drawn=true] .main-svg", timeout=20000)
        assert "餐饮门店顾客旅程" in page.inner_text("h1") and "提及次数" in page.inner_text("#touchpoints")
        page.goto(f"{site.url}/tasks?lang=en")
        page.click(f"article[data-task='{own}'] a")
        page.click("button[value=acknowledge]")
        assert page.get_attribute("#status", "data-status") == "acknowledged"
        page.fill("input[name=note]", "checking the fryer")
        page.click("button[value=start]")
        assert page.get_attribute("#status", "data-status") == "in_progress"
        page.click("button[value=resolve]")
        assert page.get_attribute("#status", "data-status") == "resolved"
        assert "checking the fryer" in page.inner_text("ol.events")

        refused = page.goto(f"{site.url}/tasks/{other}")
        assert refused is not None and refused.status == 403
        assert "belongs to Front of house" in page.inner_text("main")
        browser.close()
    assert outside == []
    assert site.store.get_task(own).status.value == "resolved"
    assert site.store.get_task(other).status.value == "open"


def test_an_analyst_uploads_a_csv_and_sees_its_bad_rows_in_the_quarantine(analysed_site: Site, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium")
    upload = tmp_path / "call-centre.csv"
    upload.write_text(
        "id,text,channel,nps\nb1,上菜很快,app_review,9\nb2,等了很久,app_review,eleven\nb3,ok,carrier pigeon,5\n",
        encoding="utf-8",
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        site = analysed_site
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{site.url}/import?lang=zh-Hans")
        page.fill("input[name=username]", "analyst")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        assert "导入反馈" in page.inner_text("h1")
        page.set_input_files("input[name=file]", str(upload))
        page.click("form.upload button[type=submit]")
        page.wait_for_selector("#state[data-state=done]", timeout=60000)
        rows = page.locator("#quarantine tr[data-row]")
        assert rows.count() == 2
        assert {rows.nth(i).get_attribute("data-field") for i in range(2)} == {"nps", "channel"}
        # Every page once in Chinese (the language is kept in a cookie): drawn, and no script error.
        own = site.tasks["Kitchen"]
        for path, words in (
            ("/", "概览"),
            ("/tasks", "任务"),
            (f"/tasks/{own}", "操作记录"),
            ("/feedback", "全部触点"),
            ("/rules", "试运行"),
            ("/journeys/catering", "提及次数"),
            ("/journeys/catering/moments", "关键时刻排序"),
            ("/journeys/catering/touchpoints/serving_time", "最新原声"),
            ("/import", "最近的导入"),
        ):
            page.goto(f"{site.url}{path}")
            assert page.get_attribute("html", "lang") == "zh-Hans" and words in page.inner_text("body"), path
            for chart in page.locator(".chart[data-figure]").all():
                chart.locator(".main-svg").first.wait_for(timeout=20000)
        assert errors == []
        browser.close()
