"""In chromium set to English (locale en-US, so it sends Accept-Language: en-US): a school
clerk saves their form and sees Django's own words in Chinese, the yes/no select and the change
history's kind. Django's form errors are in test_web_language.py, as the browser refuses such
values before sending them. Desktop and phone width; screenshots in build/screenshots/."""

from __future__ import annotations

import pytest

from junheng.web.info.models import RecordStatus, SchoolRecord
from test_web_browser import CHROMIUM, SHOTS, _close_server_connections, _login, browser  # noqa: F401
from webfixtures import YEAR, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]
WIDTHS = {"desktop": 1280, "phone": 390}
SCHOOL = "1370830001"


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_an_english_browser_sees_the_school_form_in_chinese(live_server, browser, width):  # noqa: F811
    build_world(RecordStatus.DRAFT)
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    page = browser.new_page(viewport={"width": WIDTHS[width], "height": 900}, locale="en-US")
    assert page.evaluate("navigator.language") == "en-US"
    _login(page, base, "school")
    assert f"/school/{SCHOOL}/" in page.url

    options = page.locator("select[name=boarding] option").all_inner_texts()
    assert options == ["未知", "是", "否"]

    # a saved change: the history row names its kind in Chinese
    page.fill("input[name=p_backbone]", "25")
    page.select_option("select[name=boarding]", "true")
    page.click("#school-form button.primary:has-text('保存')")
    page.wait_for_selector("[data-saved]")
    assert SchoolRecord.objects.get(school__code=SCHOOL, year=YEAR).p_backbone == 25
    history = page.inner_text("#history")
    assert "已修改" in history and "20 → 25" in history
    assert "Changed" not in history and "Created" not in history
    options = page.locator("select[name=boarding] option").all_inner_texts()
    assert options == ["未知", "是", "否"]
    assert page.locator("select[name=boarding] option:checked").inner_text() == "是"
    body = page.inner_text("body")
    assert not any(word in body for word in ("Yes", "No\n", "Unknown", "Changed", "Created"))
    page.screenshot(path=str(SHOTS / f"language-school-form-{width}.png"), full_page=True)
