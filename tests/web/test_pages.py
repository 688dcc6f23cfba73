"""The pages against a real server: sign in, CSRF on every form, escaping, the sign-in rate limit,
and a member kept to their department."""

from __future__ import annotations

import logging

import pytest

from carlzon.ingest import Channel, FeedbackRecord
from tests.web.conftest import PASSWORD, Site


def test_pages_need_a_session_and_sign_in_leads_back(sqlite_site: Site) -> None:
    with sqlite_site.client() as client:
        bounced = client.get("/tasks")
        assert bounced.status_code == 303 and bounced.headers["location"] == "/login?next=%2Ftasks"
        signed = client.post("/login", data={"username": "chef", "password": PASSWORD, "next": "/tasks"})
        assert signed.status_code == 303 and signed.headers["location"] == "/tasks"
        cookie = signed.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        board = client.get("/tasks")
    assert board.status_code == 200 and "Kitchen: look into complaints" in board.text
    assert "Front of house: look into" not in board.text  # another department's task is not on the board


def test_an_outside_next_is_not_followed(sqlite_site: Site) -> None:
    with sqlite_site.client() as client:
        signed = client.post("/login", data={"username": "chef", "password": PASSWORD, "next": "//evil.example/x"})
    assert signed.headers["location"] == "/"


def test_a_form_post_without_the_csrf_token_is_refused(sqlite_site: Site) -> None:
    client, csrf = sqlite_site.signed_in("chef")
    task = sqlite_site.tasks["Kitchen"]
    forged = client.post(f"/tasks/{task}/actions", data={"action": "acknowledge"})
    wrong = client.post(f"/tasks/{task}/actions", data={"action": "acknowledge", "csrf_token": "x" * 43})
    api_forged = client.post(f"/api/v1/tasks/{task}/actions", json={"action": "acknowledge"})
    assert sqlite_site.store.get_task(task).status.value == "open"
    done = client.post(f"/tasks/{task}/actions", data={"action": "acknowledge", "csrf_token": csrf})
    api_done = client.post(f"/api/v1/tasks/{task}/actions", json={"action": "start"}, headers={"X-CSRF-Token": csrf})
    assert forged.status_code == 403 and wrong.status_code == 403 and api_forged.status_code == 403
    assert done.status_code == 303 and api_done.status_code == 200
    assert sqlite_site.store.get_task(task).status.value == "in_progress"


def test_a_member_is_refused_another_departments_task_page(sqlite_site: Site) -> None:
    client, csrf = sqlite_site.signed_in("chef")
    other = sqlite_site.tasks["Front of house"]
    page = client.get(f"/tasks/{other}")
    move = client.post(f"/tasks/{other}/actions", data={"action": "acknowledge", "csrf_token": csrf})
    assert page.status_code == 403 and "Front of house" in page.text
    assert move.status_code == 403 and sqlite_site.store.get_task(other).status.value == "open"


def test_an_error_page_says_what_happened_in_the_pages_language(sqlite_site: Site) -> None:
    client, _ = sqlite_site.signed_in("chef")
    other = sqlite_site.tasks["Front of house"]
    refused = client.get(f"/tasks/{other}", params={"lang": "zh-Hans"})
    missing = client.get("/tasks/999999", params={"lang": "zh-Hans"})
    assert refused.status_code == 403 and "你的账号无权查看或修改这里" in refused.text
    assert missing.status_code == 404 and "这里没有内容" in missing.text


def test_feedback_and_comments_with_markup_are_shown_escaped(sqlite_site: Site) -> None:
    store = sqlite_site.store
    record = FeedbackRecord(
        source="t.csv",
        external_id="x1",
        channel=Channel.APP_REVIEW,
        brand="Own",
        text='<script>alert("x")</script><img src=x onerror=alert(1)> 太咸了',
    )
    store.add_feedback([record])
    feedback_id = int(store.feedback_texts(list(range(1, 10)))["feedback_id"].iloc[0])
    task = sqlite_site.tasks["Kitchen"]
    store.link_feedback(task, [feedback_id])
    client, csrf = sqlite_site.signed_in("chef")
    client.post(
        f"/tasks/{task}/actions", data={"action": "comment", "note": "<b onmouseover=x()>hi</b>", "csrf_token": csrf}
    )
    page = client.get(f"/tasks/{task}").text
    assert "<script>alert" not in page and "<img src=x onerror" not in page and "<b onmouseover" not in page
    assert (
        "&lt;script&gt;alert" in page and "&lt;img src=x onerror=alert(1)&gt;" in page and "&lt;b onmouseover" in page
    )


def test_sign_in_is_rate_limited_on_the_page_and_secrets_stay_out_of_logs(
    sqlite_site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with sqlite_site.client() as client:
        statuses = [
            client.post("/login", data={"username": "viewer", "password": f"wrong guess {i}"}).status_code
            for i in range(5)
        ]
        refused = client.post("/login", data={"username": "viewer", "password": PASSWORD})
    assert statuses == [401] * 5
    assert refused.status_code == 429 and "too many failed sign-ins" in refused.text
    from carlzon.accounts.service import list_audit

    logged = caplog.text + " ".join(str(e.to_dict()) for e in list_audit(store=sqlite_site.store))
    assert PASSWORD not in logged and "wrong guess" not in logged
    assert all(secret not in logged for secret in sqlite_site.tokens.values())


def test_every_page_speaks_chinese_when_the_browser_or_the_user_asks(analysed_site: Site) -> None:
    client, _ = analysed_site.signed_in("chef")
    chinese = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
    own = analysed_site.tasks["Kitchen"]
    pages = {"/": "各部门待办任务", "/tasks": "待处理", f"/tasks/{own}": "操作记录", "/journeys/catering": "已分析"}
    for path, words in pages.items():
        page = client.get(path, headers=chinese)
        assert page.status_code == 200 and words in page.text, path
        assert page.headers["content-language"] == "zh-Hans" and '<html lang="zh-Hans">' in page.text
    assert "提及次数" in client.get("/journeys/catering", headers=chinese).text
    traditional = client.get("/tasks", headers={"Accept-Language": "zh-TW"}).text
    assert "處理中" in traditional or "待處理" in traditional
    english = client.get("/tasks?lang=en", headers=chinese)  # a switch wins, and sticks (cookie)
    assert "Tasks" in english.text and "待处理" not in english.text
    assert "待处理" not in client.get("/tasks", headers=chinese).text


def test_a_users_language_preference_is_used_without_a_browser_hint(sqlite_site: Site) -> None:
    from carlzon.accounts.service import add_user
    from tests.web.conftest import PASSWORD

    add_user(
        store=sqlite_site.store,
        username="wang",
        password=PASSWORD,
        role="member",
        department="Kitchen",
        language="zh-Hans",
        actor="test",
    )
    client, _ = sqlite_site.signed_in("wang")
    assert "退出登录" in client.get("/tasks").text


def test_the_feedback_page_searches_and_shows_texts_escaped(analysed_site: Site) -> None:
    from carlzon.ingest import Channel, FeedbackRecord

    analysed_site.store.add_feedback(
        [
            FeedbackRecord(
                source="t", external_id="xss", channel=Channel.SOCIAL, brand="Own", text="<script>x()</script> 排队"
            )
        ]
    )
    client, _ = analysed_site.signed_in("analyst")
    page = client.get("/feedback", params={"q": "排队", "lang": "zh-Hans"})
    assert page.status_code == 200 and "关键词" in page.text
    assert "&lt;script&gt;x()&lt;/script&gt; 排队" in page.text and "<script>x()" not in page.text
    filtered = client.get("/feedback", params={"touchpoint": "serving_time", "label": "negative"}).text
    assert filtered.count('data-feedback="') > 0 and 'class="bad"' in filtered


def test_a_touchpoint_opens_with_its_trend_points_and_verbatims(analysed_site: Site) -> None:
    client, _ = analysed_site.signed_in("analyst")
    journey = client.get("/journeys/catering").text
    link = "/journeys/catering/touchpoints/serving_time?brand="
    assert link in journey and "data-touchpoints='[" in journey
    page = client.get("/journeys/catering/touchpoints/serving_time", params={"lang": "zh-Hans"})
    assert page.status_code == 200 and "上菜速度" in page.text and "最新原声" in page.text
    assert page.text.count('<b class="bad">') >= 1 and page.text.count('data-feedback="') >= 1
    missing = client.get("/journeys/catering/touchpoints/teleport")
    assert missing.status_code == 404


def test_the_moments_page_ranks_with_its_funnel_and_grid(analysed_site: Site) -> None:
    client, _ = analysed_site.signed_in("analyst")
    page = client.get("/journeys/catering/moments")
    assert page.status_code == 200 and 'id="chart-funnel"' in page.text
    assert page.text.count('data-stage="moment"') >= 1 and 'id="ranking"' in page.text
    chinese = client.get("/journeys/catering/moments", params={"lang": "zh-Hans"}).text
    assert "关键时刻排序" in chinese


def test_the_overview_draws_nps_and_csat_per_week_and_lists_alerts(analysed_site: Site) -> None:
    from datetime import UTC, datetime

    from carlzon.actions.models import Priority, Task

    analysed_site.store.add_task(
        Task(
            journey_id="catering",
            touchpoint_id="serving_time",
            title="Complaints about serving time at S01 rose to 9 (z = 4.2)",
            department="Kitchen",
            priority=Priority.HIGH,
            rule_id="alert:serving-spike",
            created_at=datetime.now(UTC),
        )
    )
    client, _ = analysed_site.signed_in("analyst")
    page = client.get("/").text
    assert 'id="score-trend"' in page and 'id="latest-week"' in page and "NPS" in page
    assert "rose to 9 (z = 4.2)" in page.split('id="alerts"')[1]


def test_sign_out_ends_the_session_for_good(sqlite_site: Site) -> None:
    client, csrf = sqlite_site.signed_in("chef")
    cookie = client.cookies.get("carlzon_session")
    forged = client.post("/logout", data={})
    assert forged.status_code == 403  # another site cannot sign a user out either
    done = client.post("/logout", data={"csrf_token": csrf})
    assert done.status_code == 303 and done.headers["location"] == "/login"
    replayed = sqlite_site.client()
    replayed.cookies.set("carlzon_session", cookie)
    assert replayed.get("/tasks").status_code == 303  # the old cookie signs no one in


def test_pages_offer_only_what_the_user_may_do_and_language_links_keep_filters(sqlite_site: Site) -> None:
    own = sqlite_site.tasks["Kitchen"]
    viewer, _ = sqlite_site.signed_in("viewer")
    page = viewer.get(f"/tasks/{own}").text
    assert 'name="action"' not in page and 'href="/import"' not in page
    chef, _ = sqlite_site.signed_in("chef")
    board = chef.get("/tasks?department=Kitchen").text
    assert 'href="/rules"' not in board and "department=Kitchen&amp;lang=zh-Hans" in board
    assert 'name="action"' in chef.get(f"/tasks/{own}").text


def test_a_full_board_says_how_many_it_leaves_out(sqlite_site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    import carlzon.web.pages.tasks as board

    monkeypatch.setattr(board, "BOARD_SIZE", 1)
    client, _ = sqlite_site.signed_in("analyst")
    page = client.get("/tasks").text
    assert 'id="board-limit"' in page and "The oldest 1 of 2 open tasks" in page
    assert 'id="board-limit"' not in client.get("/tasks?department=Kitchen").text
