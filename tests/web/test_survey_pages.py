"""The public survey page on a real uvicorn server: languages, spam controls that never lose a real
answer, single-use links, resuming a draft, and the results page and API (answers escaped)."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from carlzon.accounts.service import add_user, create_token
from carlzon.storage import Store
from carlzon.surveys.definitions import load_survey
from carlzon.surveys.links import personal_links
from carlzon.surveys.responses import draft_hash
from carlzon.web.pages import survey_answer
from tests.surveys.test_definitions import EXAMPLE
from tests.web.conftest import PASSWORD, serve

FAST = 0.3  # the minimum fill time in these tests (the page's is 3 s)


@dataclass
class Public:
    url: str
    store: Store
    token: str  # an API token of a reader

    def client(self, **headers: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=headers, timeout=20)


def _site(store: Store, workspace: Path, monkeypatch: pytest.MonkeyPatch, **settings: object) -> Iterator[Public]:
    monkeypatch.setattr(survey_answer, "MIN_FILL_SECONDS", FAST)
    store.publish_survey(load_survey(EXAMPLE), actor="test")
    add_user(store=store, username="analyst", password=PASSWORD, role="analyst", actor="test")
    token, _ = create_token(store=store, username="analyst", name="read", scopes=["read"], actor="test")
    for url in serve(store, workspace, **settings):
        yield Public(url, store, token)


@pytest.fixture
def site(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Public]:
    yield from _site(store, tmp_path / "ws", monkeypatch)


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', page)
    assert found, f"no hidden field {name}"
    return found.group(1)


def answer_form(page: str, **answers: str) -> dict[str, str]:
    fields = {name: hidden(page, name) for name in ("draft", "stamp", "store", "t")}
    return {**fields, "website": "", **{f"q.{k.replace('_', '-')}": v for k, v in answers.items()}}


def responses(store: Store) -> int:
    return int((store.survey_responses_frame("catering-visit")["status"] == "complete").sum())


@pytest.mark.parametrize(
    ("query", "accept", "expected"),
    [
        ("?lang=fr", "zh-CN", "zh-Hans"),  # a language the survey does not speak falls through to the browser
        ("", "ja, ko;q=0.8", "zh-Hans"),  # then to the survey's default, not to English
        ("", "fr-FR, en;q=0.5", "en"),
        ("?lang=zh-Hant", "en", "zh-Hant"),
    ],
)
def test_the_language_falls_through_to_what_the_survey_speaks(
    site: Public, query: str, accept: str, expected: str
) -> None:
    with site.client(**{"Accept-Language": accept}) as browser:
        assert browser.get(f"/s/catering-visit{query}").headers["content-language"] == expected


def test_a_mistyped_address_gets_the_kind_page(site: Public) -> None:
    with site.client() as browser:
        assert browser.get("/s/CATERING-VISIT?lang=en").status_code == 200  # ids are lower-case
        wrong = browser.get("/s/Not A Survey!?lang=en")
        assert wrong.status_code == 404 and "There is no survey at this address." in wrong.text
        assert browser.head("/s/catering-visit").status_code == 200


def test_the_page_speaks_the_respondents_language_and_loads_nothing_from_elsewhere(site: Public) -> None:
    with site.client() as browser:
        page = browser.get("/s/catering-visit?store=S12")
        assert page.status_code == 200 and page.headers["content-language"] == "zh-Hans"  # the survey's default
        assert "用餐体验调查" in page.text and hidden(page.text, "store") == "S12"
        assert "default-src 'self'" in page.headers["content-security-policy"]
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert sources and all(s.startswith("/") for s in sources), sources
        english = browser.get("/s/catering-visit?lang=en")
        assert english.headers["content-language"] == "en" and "How was your visit?" in english.text
    with site.client(**{"Accept-Language": "zh-TW,zh;q=0.9"}) as taiwan:
        page = taiwan.get("/s/catering-visit")
        assert page.headers["content-language"] == "zh-Hant" and "用餐體驗調查" in page.text
    with site.client() as browser:
        assert browser.get("/s/no-such-survey").status_code == 404
        assert browser.get("/static/survey.js").status_code == 200


def test_a_detractor_answer_is_stored_once_and_reaches_the_results(site: Public) -> None:
    with site.client() as browser:
        page = browser.get("/s/catering-visit?store=S12&lang=en").text
        form = answer_form(page, nps="2", serving="1", went_wrong="We waited 40 minutes <script>alert(1)</script>")
        time.sleep(FAST)
        sent = browser.post("/s/catering-visit?lang=en", data=form)
        assert sent.status_code == 200 and "Thank you! Your answers have been sent." in sent.text
        assert "Your words are on the manager&#39;s desk." in sent.text  # the survey's own thank-you
        again = browser.post("/s/catering-visit?lang=en", data=form)  # a double click
        assert again.status_code == 409 and "You have answered this survey already" in again.text
    assert responses(site.store) == 1
    with site.client(Authorization=f"Bearer {site.token}") as api:
        results = api.get("/api/v1/surveys/catering-visit/results").json()
    assert results["completed"] == 1 and results["scores"][0]["value"] == -100.0
    assert results["comments"][0]["store"] == "S12"
    with httpx.Client(base_url=site.url, timeout=20) as analyst:
        signed = analyst.post("/login", data={"username": "analyst", "password": PASSWORD, "next": "/surveys"})
        assert signed.status_code == 303
        page = analyst.get("/surveys/catering-visit")
        assert page.status_code == 200
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>alert(1)" not in page.text


def test_spam_is_refused_and_a_real_answer_is_never_lost(site: Public) -> None:
    with site.client() as browser:
        page = browser.get("/s/catering-visit?lang=en").text
        form = answer_form(page, nps="3", went_wrong="cold soup")
        trapped = browser.post("/s/catering-visit?lang=en", data={**form, "website": "http://spam.example"})
        assert trapped.status_code == 400
        hurried = browser.post("/s/catering-visit?lang=en", data=form)  # faster than a person answers
        assert hurried.status_code == 422 and "send them again" in hurried.text
        assert 'value="3" checked' in hurried.text and "cold soup" in hurried.text  # the answers are kept
        forged = browser.post("/s/catering-visit?lang=en", data={**form, "stamp": "1.forged"})
        assert forged.status_code == 422
        assert responses(site.store) == 0
        time.sleep(FAST)
        resent = browser.post(
            "/s/catering-visit?lang=en", data=answer_form(hurried.text, nps="3", went_wrong="cold soup")
        )
        assert resent.status_code == 200
    assert responses(site.store) == 1


def test_over_the_rate_limit_the_answers_are_kept_as_a_draft(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for public in _site(store, tmp_path / "ws", monkeypatch, survey_rate_limit=2):
        phones = [public.client() for _ in range(3)]  # three people behind one address
        forms = [
            answer_form(phone.get("/s/catering-visit").text, nps=str(n))
            for phone, n in zip(phones, (9, 8, 4), strict=True)
        ]
        time.sleep(FAST)
        codes = [
            phone.post("/s/catering-visit", data=form).status_code for phone, form in zip(phones, forms, strict=True)
        ]
        assert codes == [200, 200, 429]
        for phone in phones:
            phone.close()
        draft = store.survey_draft(draft_hash(forms[2]["draft"]))
        assert draft is not None and draft.answers == {"nps": 4} and not draft.complete
        assert responses(store) == 2


def test_a_single_use_link_is_answered_once(site: Public, tmp_path: Path) -> None:
    contacts = tmp_path / "customers.csv"
    contacts.write_text("customer_id,store\nC1,Xuhui\n", encoding="utf-8")
    out = tmp_path / "links.csv"
    personal_links(store=site.store, survey_id="catering-visit", contacts=contacts, out=out, base_url=site.url)
    link = out.read_text(encoding="utf-8-sig").splitlines()[1].split(",")[-1]
    path = link.removeprefix(site.url)
    with site.client() as phone:
        page = phone.get(path + "&lang=en").text
        assert hidden(page, "store") == "Xuhui"
        time.sleep(FAST)
        assert phone.post("/s/catering-visit?lang=en", data=answer_form(page, nps="10")).status_code == 200
    with site.client() as laptop:  # the same link, another device
        used = laptop.get(path + "&lang=en")
        assert used.status_code == 409 and "You have answered this survey already. Thank you!" in used.text
    assert responses(site.store) == 1 and site.store.survey_link_counts("catering-visit") == (1, 1)


def test_a_page_left_half_way_is_resumed_on_the_same_device(site: Public) -> None:
    with site.client() as phone:
        page = phone.get("/s/catering-visit?lang=en").text
        saved = phone.post("/s/catering-visit/draft?lang=en", data=answer_form(page, nps="6", serving="2"))
        assert saved.status_code == 204
        back = phone.get("/s/catering-visit?lang=en").text
        assert hidden(back, "draft") == hidden(page, "draft")
        assert 'name="q.nps" value="6" checked' in back and 'name="q.serving" value="2" checked' in back
    with site.client() as other:  # another device starts afresh
        fresh = other.get("/s/catering-visit?lang=en").text
        assert hidden(fresh, "draft") != hidden(page, "draft") and "checked" not in fresh


def test_a_closed_survey_says_so(site: Public) -> None:
    site.store.close_survey("catering-visit")
    with site.client() as browser:
        page = browser.get("/s/catering-visit?lang=en")
    assert page.status_code == 410 and "This survey has closed" in page.text


def _signed_in(site: Public, username: str) -> tuple[httpx.Client, str]:
    client = site.client()
    assert (
        client.post("/login", data={"username": username, "password": PASSWORD, "next": "/surveys"}).status_code == 303
    )
    page = client.get("/surveys/catering-visit/edit")
    return client, hidden(page.text, "csrf_token") if page.status_code == 200 else ""


def test_the_web_editor_checks_and_publishes_the_next_version(site: Public) -> None:
    add_user(store=site.store, username="viewer", password=PASSWORD, role="viewer", actor="test")
    analyst, csrf = _signed_in(site, "analyst")
    try:
        page = analyst.get("/surveys/catering-visit/edit")
        assert page.status_code == 200 and "id: catering-visit" in page.text
        assert "id: catering-visit" in analyst.get("/surveys/new").text  # the example to start from
        text = page.text.split('aria-label="Survey definition">')[1].split("</textarea>")[0]
        definition = html.unescape(text)
        bad = definition.replace("type: csat", "type: stars", 1)
        checked = analyst.post("/surveys/edit", data={"csrf_token": csrf, "yaml": bad, "action": "validate"})
        assert checked.status_code == 200 and 'class="problems"' in checked.text and "stars" in checked.text
        assert re.search(r'data-line="\d+"', checked.text)
        unchecked = analyst.post("/surveys/edit", data={"yaml": definition, "action": "publish"})  # no CSRF token
        assert unchecked.status_code == 403
        changed = definition.replace("this takes a minute.", "this takes a minute or two.") + "# edited on the web\n"
        assert changed != definition
        published = analyst.post(
            "/surveys/edit", data={"csrf_token": csrf, "yaml": changed, "action": "publish"}, follow_redirects=False
        )
        assert published.status_code == 303 and "published=2" in published.headers["location"]
        edited = analyst.get("/surveys/catering-visit/edit").text
        assert "this takes a minute or two." in edited and "# edited on the web" in edited  # as written
    finally:
        analyst.close()
    assert site.store.get_survey("catering-visit").version == 2
    with site.client() as phone:
        assert "this takes a minute or two." in phone.get("/s/catering-visit?lang=en").text  # at once
    viewer, _ = _signed_in(site, "viewer")
    try:
        assert viewer.get("/surveys/catering-visit/edit").status_code == 403
        assert viewer.get("/surveys/catering-visit").status_code == 200
    finally:
        viewer.close()
