"""A survey answered on a phone in a real browser (Debian's Chromium through Playwright, a phone's
viewport), in simplified Chinese and in English: the detractor's question appears only for a
detractor, a page left half-way is resumed, a used personal link is refused kindly; then one
`carlzon worker --once` turns the detractor's answer into tasks on the departments' boards, and
the results page shows it. Nothing is fetched from outside the server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from carlzon.accounts.service import add_user
from carlzon.journeys import load_template
from carlzon.storage import Store
from carlzon.surveys.definitions import load_survey
from carlzon.surveys.links import personal_links
from carlzon.web.pages import survey_answer
from tests.cli.test_cli import carlzon
from tests.surveys.test_definitions import EXAMPLE
from tests.web.conftest import PASSWORD, serve

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = os.environ.get("CARLZON_SCREENSHOTS")  # a folder: keep the phone's screenshot (docs/images)
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def on_a_phone(browser, locale: str, address: str, block):  # type: ignore[no-untyped-def]
    """A phone's browser (its own cookies) in ``locale``, on ``address``: (context, page)."""
    phone = browser.new_context(**PHONE, locale=locale)
    phone.route("**/*", block)
    page = phone.new_page()
    page.goto(address)
    return phone, page


def signed_in(browser, url: str, username: str, after: str, block):  # type: ignore[no-untyped-def]
    """A desktop page signed in as ``username``, on ``after``."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.route("**/*", block)
    page.goto(f"{url}/login?next={after}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{after}**")
    return page


def send(page) -> str:  # type: ignore[no-untyped-def]
    """Send the answers once past the minimum fill time; the headline of the page that answers."""
    page.wait_for_timeout(600)
    page.click("button[type=submit]")
    page.wait_for_selector("h1.message")
    return str(page.inner_text("h1"))


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Store, Path]]:
    monkeypatch.setattr(survey_answer, "MIN_FILL_SECONDS", 0.5)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    store = Store.from_url(f"sqlite:///{workspace / 'carlzon.db'}")
    store.upgrade()
    store.save_journey(load_template("catering"))
    store.publish_survey(load_survey(EXAMPLE), actor="test")
    rules = resources.files("carlzon.actions") / "examples" / "catering-rules.yaml"
    with resources.as_file(rules) as path:
        shutil.copy(path, workspace / "rules.yaml")
    add_user(store=store, username="care", password=PASSWORD, role="member", department="Customer Care", actor="t")
    add_user(store=store, username="analyst", password=PASSWORD, role="analyst", actor="test")
    for url in serve(store, workspace):
        yield url, store, workspace
    store.dispose()


def test_a_survey_answered_on_a_phone_becomes_results_and_a_task(
    workspace: tuple[str, Store, Path], tmp_path: Path
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium")
    url, store, ws = workspace
    contacts = tmp_path / "customers.csv"
    contacts.write_text("customer_id,store\nM-1001,Xuhui\n", encoding="utf-8")
    links = tmp_path / "links.csv"
    personal_links(store=store, survey_id="catering-visit", contacts=contacts, out=links, base_url=url)
    personal = links.read_text(encoding="utf-8-sig").splitlines()[1].split(",")[-1]
    outside: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])

        def block(route) -> None:  # type: ignore[no-untyped-def]
            if route.request.url.startswith(url):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        # Simplified Chinese (the survey's default), a detractor who leaves half-way and comes back.
        phone, page = on_a_phone(browser, "zh-CN", f"{url}/s/catering-visit?store=S12", block)
        assert page.inner_text("h1") == "用餐体验调查"
        assert page.is_hidden("#question-went-wrong")  # asked of detractors only
        page.click("#question-nps label.point:has(input[value='2'])")
        page.wait_for_selector("#question-went-wrong", state="visible")
        page.fill("#question-went-wrong textarea", "上菜太慢了，等了四十分钟才上齐")
        page.click("#question-serving label.point:has(input[value='1'])")
        page.wait_for_selector("#saved", state="visible", timeout=10000)  # the answers so far are kept
        if SCREENSHOTS:
            page.screenshot(path=str(Path(SCREENSHOTS) / "survey-phone.png"), full_page=False)
        page.close()
        page = phone.new_page()
        page.goto(f"{url}/s/catering-visit?store=S12")
        assert page.is_checked("#question-nps input[value='2']")
        assert page.input_value("#question-went-wrong textarea") == "上菜太慢了，等了四十分钟才上齐"
        assert send(page) == "谢谢！您的答案已提交。"
        phone.close()

        # English, a personal link: answered once, then refused kindly.
        phone, page = on_a_phone(browser, "en-GB", f"{personal}&lang=en", block)
        assert page.inner_text("h1") == "How was your visit?"
        page.click("#question-nps label.point:has(input[value='9'])")
        assert page.is_hidden("#question-went-wrong")
        assert send(page) == "Thank you! Your answers have been sent."
        page.goto(f"{personal}&lang=en")
        assert "You have answered this survey already. Thank you!" in page.inner_text("h1")
        phone.close()

        # The worker's next check: analysed, the rules applied — tasks on the departments' boards.
        done = carlzon("worker", "--once", "-w", str(ws), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        board = signed_in(browser, url, "care", "/tasks", block).inner_text("main")
        assert "A detractor answered the visit survey" in board, board
        browser.close()
    tasks = {task.rule_id: task for task in store.list_tasks()}
    assert {"survey-detractor", "slow-serving"} <= set(tasks)  # Customer Care's call-back, the Kitchen's wait
    assert tasks["slow-serving"].department == "Kitchen"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = signed_in(browser, url, "analyst", "/surveys/catering-visit", block)
        assert "2 response(s) sent" in page.inner_text("#response-count")
        assert "personal links: 1 of 1 answered" in page.inner_text("#response-count")
        assert "上菜太慢了，等了四十分钟才上齐" in page.inner_text("#comments")
        assert "serving_time" in page.inner_text("#themes")
        page.wait_for_selector("#nps-by-store[data-drawn=true] .main-svg", timeout=20000)  # S12 and Xuhui
        browser.close()
    assert outside == []
