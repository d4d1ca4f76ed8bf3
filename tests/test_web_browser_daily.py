"""The daily work in a real browser (Debian's chromium), at desktop (1280) and phone (390) width:
save and submit on the school form, the unsaved-changes warning, a session expiring mid-edit,
the year switcher and a new year's collection, a school clerk's import, an import refused for
an edit made after its preview, and the login lockout. Screenshots go to build/screenshots/."""

from __future__ import annotations

import pytest

from junheng.web.info.models import RecordStatus, SchoolRecord
from junheng.web.info.services import workflow
from junheng.web.info.services.records import save_school_record, school_contract
from junheng.workbook import write_workbook
from test_web_browser import CHROMIUM, SHOTS, _close_server_connections, browser  # noqa: F401
from webfixtures import PASSWORD, YEAR, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]

SCHOOL = "1370830001"
WIDTHS = {"desktop": 1280, "phone": 390}


def _page(browser, width: int):  # noqa: F811
    ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    return ctx.new_page()


def _login(page, base: str, user: str, password: str = PASSWORD) -> None:
    if "/login/" not in page.url:
        page.goto(f"{base}/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("main button.primary")
    page.wait_for_load_state("networkidle")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits(page) -> None:
    """Nothing sticks out sideways (the page itself never scrolls horizontally)."""
    over = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => { if (e.getBoundingClientRect().right <="
        " document.documentElement.clientWidth + 1) return false; for (let a = e.parentElement; a; a = a.parentElement)"
        " if (getComputedStyle(a).overflowX !== 'visible') return false; return true; })"
        ".map(e => { let out = []; for (let a = e; a; a = a.parentElement) out.push(a.tagName + '#' + a.id + '.' + a.className + ':' + Math.round(a.getBoundingClientRect().width) + '/' + getComputedStyle(a).overflowX + '/' + getComputedStyle(a).display); return out.join(' < '); }).slice(0, 1)"
    )
    assert over <= 0, f"{page.url} scrolls sideways by {over}px: {wide}"


def _end_session(page) -> None:
    """The session expires; the CSRF cookie stays, as it does in a real browser."""
    kept = [c for c in page.context.cookies() if c["name"] != "sessionid"]
    page.context.clear_cookies()
    page.context.add_cookies(kept)


def _rec(year: int = YEAR) -> SchoolRecord:
    return SchoolRecord.objects.get(school__code=SCHOOL, year=year)


@pytest.mark.parametrize("screen", WIDTHS)
def test_school_clerk_saves_then_submits_unsaved_edits(live_server, browser, screen):  # noqa: F811
    build_world(RecordStatus.DRAFT)
    page = _page(browser, WIDTHS[screen])
    _login(page, live_server.url, "school")
    assert page.url.endswith(f"/school/{SCHOOL}/{YEAR}/")
    _fits(page)
    page.fill("input[name=p_backbone]", "25")
    page.click("#school-form button:text-is('保存')")
    page.wait_for_selector("#school-form .saved")
    assert page.locator("header.top").count() == 1  # no page nested in the form
    assert page.locator("#school-form form").count() == 1
    assert page.locator("button:text-is('提交区县审核')").count() == 1
    assert page.inner_text("#rec-version") == "2"
    assert page.input_value("input[name=p_backbone]") == "25"
    assert _rec().p_backbone == 25
    # the history below the form shows the save at once, and only one history table
    assert "小学县级及以上骨干教师数：20 → 25" in page.inner_text("#history")
    assert page.locator("#history").count() == 1
    _shot(page, f"daily-school-saved-{screen}")

    # an edit not saved is saved by 提交 before submitting
    page.fill("input[name=p_backbone]", "26")
    page.click("button:text-is('提交区县审核')")
    page.wait_for_selector("ul.messages")
    assert "已提交区县审核（提交前已保存您的修改）" in page.inner_text("ul.messages")
    assert "已提交" in page.inner_text("#school-form")
    assert (_rec().p_backbone, _rec().status) == (26, RecordStatus.SUBMITTED)
    assert page.locator("input[name=p_backbone]").is_disabled()
    _fits(page)
    _shot(page, f"daily-school-submitted-{screen}")


def test_leaving_with_unsaved_changes_asks_first(live_server, browser):  # noqa: F811
    build_world(RecordStatus.DRAFT)
    page = _page(browser, 1280)
    _login(page, live_server.url, "school")
    seen: list[str] = []
    page.on("dialog", lambda d: (seen.append(d.type), d.dismiss()))
    page.click("input[name=p_backbone]")
    page.keyboard.press("Control+A")
    page.keyboard.type("31")
    page.click("header nav a:text-is('首页')", no_wait_after=True)
    page.wait_for_timeout(800)
    assert seen == ["beforeunload"]
    assert page.url.endswith(f"/school/{SCHOOL}/{YEAR}/")  # stayed, the input is still there
    assert page.input_value("input[name=p_backbone]") == "31"


def test_expired_session_mid_edit_keeps_the_input(live_server, browser):  # noqa: F811
    build_world(RecordStatus.DRAFT)
    page = _page(browser, 390)
    _login(page, live_server.url, "school")
    _end_session(page)  # the session ends while the clerk types
    page.fill("input[name=p_backbone]", "33")
    page.dispatch_event("input[name=p_backbone]", "change")
    page.wait_for_url(lambda url: "/login/?next=" in url)
    assert page.locator("header.top").count() == 1
    _shot(page, "daily-session-expired-phone")
    _login(page, live_server.url, "school")
    assert page.url.endswith(f"/school/{SCHOOL}/{YEAR}/")
    assert page.input_value("input[name=p_backbone]") == "33"
    assert "已恢复您上次未保存的" in page.inner_text("#school-form")
    _shot(page, "daily-session-restored-phone")
    page.click("#school-form button:text-is('保存')")
    page.wait_for_selector("#school-form .saved")
    assert _rec().p_backbone == 33


@pytest.mark.parametrize("screen", WIDTHS)
def test_county_starts_a_new_year_and_switches_years(live_server, browser, screen):  # noqa: F811
    w = build_world(RecordStatus.APPROVED)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    page = _page(browser, WIDTHS[screen])
    base = live_server.url
    _login(page, base, "county")
    assert page.url.endswith(f"/county/370830/{YEAR}/")
    assert page.inner_text("nav.years a.current") == str(YEAR)
    page.wait_for_selector("#cv-chart canvas")
    _fits(page)
    _shot(page, f"daily-county-page-{screen}")
    page.click(f"button:text-is('开始{YEAR + 1}年采集')")
    page.wait_for_url(f"**/county/370830/{YEAR + 1}/")
    assert f"已开始{YEAR + 1}年采集：3所学校的{YEAR}年数据已复制为草稿" in page.inner_text(
        "ul.messages"
    )
    assert page.locator("#rec-1370830001 >> text=草稿").count() == 1
    _shot(page, f"daily-new-year-{screen}")
    page.click(f"nav.years a:text-is('{YEAR}')")
    page.wait_for_url(f"**/county/370830/{YEAR}/")
    page.goto(f"{base}/import/")
    assert page.input_value("input[name=year]") == str(YEAR + 1)
    _fits(page)
    _shot(page, f"daily-import-page-{screen}")
    page.context.clear_cookies()

    # the school sees the new year at once, last year's figures under each field
    _login(page, base, "school")
    assert page.url.endswith(f"/school/{SCHOOL}/{YEAR + 1}/")
    page.fill("input[name=p_students]", "1100")
    page.click("#school-form button:text-is('保存')")
    page.wait_for_selector("#school-form .saved")
    assert "上年 1000（+100）" in page.inner_text("#school-form")
    _fits(page)
    _shot(page, f"daily-school-new-year-{screen}")
    if screen == "phone":
        page.click("label.menu-button")
        page.click("header nav button:text-is('退出')")
        page.wait_for_url("**/login/")


def test_school_clerk_imports_own_school(live_server, browser, tmp_path):  # noqa: F811
    build_world(RecordStatus.DRAFT)
    row = school_contract(
        SchoolRecord.objects.select_related("school__county").get(school__code=SCHOOL)
    )
    book = write_workbook(tmp_path / "本校.xlsx", [row | {"p_backbone": 24}], None)
    page = _page(browser, 390)
    _login(page, live_server.url, "school")
    page.goto(f"{live_server.url}/import/")
    page.set_input_files("input[type=file]", str(book))
    page.click("#upload-form button")
    page.wait_for_selector("#preview")
    assert "小学县级及以上骨干教师数：20 → 24" in page.inner_text("#preview")
    _shot(page, "daily-school-import-phone")
    page.click("#preview button.primary")
    page.wait_for_load_state("networkidle")
    assert "导入完成：新增0条，修改1条，未变0条" in page.inner_text("ul.messages")
    assert _rec().p_backbone == 24


def test_import_refused_for_an_edit_after_its_preview(live_server, browser, tmp_path):  # noqa: F811
    w = build_world(RecordStatus.DRAFT)
    rows = [
        school_contract(r)
        for r in SchoolRecord.objects.filter(school__county=w.own).select_related("school__county")
    ]
    book = write_workbook(tmp_path / "全县.xlsx", rows, None)
    page = _page(browser, 1280)
    _login(page, live_server.url, "county")
    page.goto(f"{live_server.url}/import/")
    page.set_input_files("input[type=file]", str(book))
    page.click("#upload-form button")
    page.wait_for_selector("#preview")
    assert "不变" in page.inner_text("#preview")
    rec = _rec()
    save_school_record(
        w.users["school"], rec, {"p_backbone": 28}, rec.version
    )  # the clerk saves meanwhile
    page.click("#preview button.primary")
    page.wait_for_selector("#preview")
    text = page.inner_text("#preview")
    assert (
        "整个文件不会导入" in text
        and SCHOOL in text
        and "预览后school于" in text
        and "修改了该记录（预览时版本1，现在版本2）" in text
    )
    assert _rec().p_backbone == 28
    assert "全县.xlsx" in text  # the uploaded file's own name, not the stored copy's
    _shot(page, "daily-import-conflict-desktop")


def test_login_locks_after_five_wrong_passwords(live_server, browser):  # noqa: F811
    build_world()
    page = _page(browser, 390)
    for _ in range(4):
        _login(page, live_server.url, "county", "wrong-password")
        assert "用户名或密码不正确" in page.inner_text("main")
    _login(page, live_server.url, "county", "wrong-password")  # the fifth locks
    assert "登录失败次数过多" in page.inner_text("main")
    page.goto(f"{live_server.url}/login/")
    _login(page, live_server.url, "county")  # now even the right password is refused
    assert "登录失败次数过多" in page.inner_text("main")
    assert "/login/" in page.url or "county" not in page.url
    _shot(page, "daily-login-locked-phone")


@pytest.mark.parametrize("role", ["city", "province"])
def test_city_and_province_pages_fit_a_phone(live_server, browser, role):  # noqa: F811
    w = build_world(RecordStatus.APPROVED)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    page = _page(browser, 390)
    _login(page, live_server.url, role)
    assert f"/{YEAR}/" in page.url and page.inner_text("nav.years a.current") == str(YEAR)
    assert "汶上县" in page.inner_text("#county-table")
    assert not page.locator("header.top nav").is_visible()  # folded under 菜单
    page.click("label.menu-button")
    assert page.locator("header.top nav").is_visible()
    _fits(page)
    _shot(page, f"daily-{role}-phone")
