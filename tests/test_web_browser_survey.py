"""In chromium: a parent answers on a phone through the QR link, the county reads the results."""

from __future__ import annotations

import pytest

from junheng.web.survey import services
from test_web_browser import CHROMIUM, SHOTS, _close_server_connections, _login, browser  # noqa: F401
from webfixtures import YEAR, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


def test_answer_on_a_phone_then_county_results(live_server, browser):  # noqa: F811
    w = build_world()
    SHOTS.mkdir(parents=True, exist_ok=True)
    survey = services.create_survey(w.users["county"], w.own, YEAR)
    first, second = services.invite(w.users["county"], survey, "parent", "城区", "1370830001", 2)
    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    phone.goto(f"{live_server.url}/s/{first.code}/")
    assert "家长" in phone.inner_text(".intro")
    radios = phone.locator("fieldset")
    count = radios.count()
    assert count == 8
    for i in range(count):
        radios.nth(i).locator("input[value=B]").check()
    # nothing scrolls sideways on a phone
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(SHOTS / "survey-phone-form.png"), full_page=True)
    phone.click("button[type=submit]")
    assert "问卷已提交" in phone.inner_text("main")
    phone.screenshot(path=str(SHOTS / "survey-phone-done.png"))
    phone.goto(f"{live_server.url}/s/{first.code}/")
    assert "只能填写一次" in phone.inner_text("main")
    # the second parent is not satisfied
    phone.goto(f"{live_server.url}/s/{second.code}/")
    for i in range(count):
        radios.nth(i).locator("input[value=D]").check()
    phone.click("button[type=submit]")
    assert "问卷已提交" in phone.inner_text("main")

    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    _login(page, live_server.url, "county")
    page.goto(f"{live_server.url}/county/370830/{YEAR}/survey/")
    assert page.inner_text("#survey-rate") == "50.0%"
    weakest = page.locator("#weak-questions li").first.inner_text()
    assert "50.0%" in weakest
    page.fill("input[name=visits]", "10")
    page.fill("input[name=visits_satisfied]", "9")
    page.click("text=保存走访情况")
    assert "已保存实地走访情况" in page.inner_text(".messages")
    page.wait_for_function("document.querySelector('#group-chart canvas') !== null")
    page.screenshot(path=str(SHOTS / "survey-county-results.png"), full_page=True)
    page.once("dialog", lambda d: d.accept())
    page.click("text=确认结果，写入区县数据")
    assert "已写入区县数据" in page.inner_text(".messages")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=str(SHOTS / "survey-county-phone.png"), full_page=True)
