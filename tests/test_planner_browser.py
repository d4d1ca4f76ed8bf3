"""The plan page in real chromium: county officer and city reviewer, desktop and phone."""

from __future__ import annotations

import pytest

from test_planner_web import short_world
from test_web_browser import CHROMIUM, SHOTS, _close_server_connections, _login, browser  # noqa: F401
from webfixtures import YEAR

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


@pytest.mark.parametrize(("role", "width"), [("county", 1280), ("city", 390)])
def test_plan_page_what_if(live_server, browser, role, width):  # noqa: F811
    short_world()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
    _login(page, live_server.url, role)
    page.goto(f"{live_server.url}/county/370830/{YEAR}/")
    page.click("text=达标测算")
    page.wait_for_selector("#plan-verdict")
    # two teachers moved from 第2小学 at 15,000 元 each
    assert "测算投入 3.00 万元" in page.inner_text("#plan-verdict")
    assert "按此方案，资源配置达标" in page.inner_text("#plan-verdict")
    schools = page.inner_text(".plan-schools")
    assert "第1小学：小学交流轮岗调入高于规定学历教师（来自第2小学） 2 人" in schools
    page.screenshot(path=str(SHOTS / f"plan-{role}-{width}.png"), full_page=True)

    # what if a move cost 200,000 元: two hires at 120,000 are cheaper
    page.fill("#id_move", "200000")
    page.press("#id_move", "Tab")
    page.locator("#plan-verdict", has_text="24.00 万元").wait_for()
    assert "新招聘" in page.inner_text(".plan-schools")

    # a budget too small: what still fails is named
    page.fill("#id_budget", "100000")
    page.press("#id_budget", "Tab")
    page.wait_for_selector("text=在给定条件下资源配置仍不能达标")
    assert "第1小学（小学）仍未达到" in page.inner_text("#plan-result")
    assert "预算10.00 万元不足：不限预算时，本县达标需要24.00 万元" in page.inner_text("#plan-why")
    page.screenshot(path=str(SHOTS / f"plan-{role}-{width}-budget.png"), full_page=True)

    # no budget, but at most 200,000 元 a school: the cap is named as what binds
    page.fill("#id_budget", "")
    page.fill("#id_max_per_school", "200000")
    page.press("#id_max_per_school", "Tab")
    page.locator("#plan-why", has_text="每校投入上限20.00 万元限制了方案").wait_for()
    page.fill("#id_max_per_school", "")
    page.press("#id_max_per_school", "Tab")
    page.locator("#plan-verdict", has_text="24.00 万元").wait_for()

    # 第1小学 cannot build: a limit on buildings changes nothing for teachers
    page.click(".plan-blocked summary")
    page.check("input[name=cannot_build][value='1370830001']")
    page.wait_for_timeout(900)
    page.locator("#plan-verdict", has_text="24.00 万元").wait_for()
    page.screenshot(path=str(SHOTS / f"plan-{role}-{width}-limits.png"), full_page=True)
    page.fill("#id_budget", "100000")
    page.press("#id_budget", "Tab")
    page.wait_for_selector("text=在给定条件下资源配置仍不能达标")

    # a negative cost is stopped by the browser before anything is sent (min="0")
    page.fill("#id_move", "-5")
    page.click("button[type=submit]")
    assert page.eval_on_selector("#id_move", "e => e.validity.rangeUnderflow")
    assert "在给定条件下资源配置仍不能达标" in page.inner_text("#plan-result")
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_plan_written_into_the_ledger(live_server, browser, width):  # noqa: F811
    from junheng.web.info.services import workflow

    w = short_world()
    # the evaluation opens the item: 第1小学 below 85% of the qualified-teacher standard
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
    _login(page, live_server.url, "county")
    page.goto(f"{live_server.url}/county/370830/{YEAR}/plan/")
    page.wait_for_selector("#plan-verdict")
    page.click("#plan-ledger button")
    page.wait_for_selector("text=已把测算方案写入整改台账中 1 个未销号事项的整改措施")
    page.screenshot(path=str(SHOTS / f"plan-ledger-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/ledger/county/370830/")
    body = page.inner_text("main")
    assert (
        "整改措施：【达标测算】小学交流轮岗调入高于规定学历教师（来自第2小学） 2 人，3.00 万元"
        in body
    )
    page.screenshot(path=str(SHOTS / f"plan-ledger-{width}-items.png"), full_page=True)
    page.close()
