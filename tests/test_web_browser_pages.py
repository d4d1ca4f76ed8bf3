"""In chromium, as each role, at desktop (1366) and phone (390) width: the county page's
verdict, stale and locked banners, the city's review, the province's standard, evidence
upload and delete, the grouped county form, Chinese error and logout pages, the admin's
one-screen user creation. Screenshots go to build/screenshots/."""

from __future__ import annotations

import pytest

from junheng.web.info.models import CityReview, CountyRecord, Evidence, Province, RecordStatus
from test_web_browser import CHROMIUM, SHOTS, _close_server_connections, _login, browser  # noqa: F401
from webfixtures import YEAR, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]
WIDTHS = {"desktop": 1366, "phone": 390}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _logout(page, base):
    page.goto(f"{base}/logout/")
    page.click("#confirm-logout")
    page.wait_for_url("**/login/")


def _shot(page, name, width):
    page.screenshot(path=str(SHOTS / f"pages-{name}-{width}.png"), full_page=True)


def _no_sideways_scroll(page):
    # the page as a whole never scrolls sideways; wide tables scroll inside their box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_county_city_province_daily_path(live_server, browser, tmp_path, width):  # noqa: F811
    w = build_world(RecordStatus.APPROVED)
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    page = browser.new_page(viewport={"width": WIDTHS[width], "height": 900}, locale="zh-CN")
    asked: list[str] = []  # what the confirmation dialogs said

    def _dialog(d):
        asked.append(d.message)
        d.accept()

    page.on("dialog", _dialog)
    county_url = f"{base}/county/{w.own.code}/{YEAR}/"

    # the province sets the standard its counties are evaluated against
    _login(page, base, "province")
    page.goto(f"{base}/province/370000/{YEAR}/")
    page.select_option("#standard-form select[name=standard]", "wenshang-2022")
    page.click("#standard-form button")
    page.wait_for_load_state("networkidle")
    assert "本省评估标准已设为：汶上县" in page.inner_text("ul.messages")
    assert Province.objects.get(code="370000").standard == "wenshang-2022"
    page.fill("#target-form input[name=year]", "2027")
    page.fill("#target-form input[name=share]", "30")
    page.click("#target-form button")
    page.wait_for_load_state("networkidle")
    assert "已设置2027年目标：30%" in page.inner_text("ul.messages")
    _shot(page, "province", width)
    _logout(page, base)

    # the county evaluates (without lock), then changes county data: the verdict is stale
    _login(page, base, "county")
    page.goto(county_url)
    assert "本年度尚未评估" in page.inner_text("#verdict")
    page.click("#evaluate")
    page.wait_for_load_state("networkidle")
    verdict = page.inner_text("#verdict")
    assert "评估完成" in page.inner_text("ul.messages")
    assert "评估标准：汶上县" in verdict and "national-2017" not in verdict
    assert "申报资格" in verdict and "一票否决" in verdict
    page.goto(f"{base}/county/{w.own.code}/{YEAR}/data/")
    assert page.locator("legend", has_text="Ⅳ 政府保障程度").count() == 1
    page.fill("input[name=population]", "71")
    page.click("#county-form button.primary")
    page.wait_for_load_state("networkidle")
    assert "区县数据已保存" in page.inner_text("ul.messages")
    assert "70.0 → 71.0" in page.inner_text("#history")
    _shot(page, "county-form", width)
    page.goto(county_url)
    assert "数据已修改，请重新评估" in page.inner_text("#verdict")
    _shot(page, "county-stale", width)

    # evidence: upload for an item, see who and when, delete it, upload again
    pdf = tmp_path / "布局规划.pdf"
    pdf.write_bytes(PDF)
    page.select_option(".evidence-form select[name=item]", "layout")
    page.fill(".evidence-form input[name=title]", "县域学校布局规划")
    page.set_input_files(".evidence-form input[type=file]", str(pdf))
    page.click(".evidence-form button")
    page.wait_for_load_state("networkidle")
    ev = page.inner_text("#evidence")
    assert "政府保障程度第1项" in ev and "县域学校布局规划" in ev and "county" in ev
    page.click("#evidence button:has-text('删除')")
    page.wait_for_load_state("networkidle")
    assert asked[-1] == "确定删除这份佐证材料？"  # the page asked before deleting
    assert "已删除佐证材料" in page.inner_text("ul.messages") and not Evidence.objects.exists()
    page.select_option(".evidence-form select[name=item]", "layout")
    page.fill(".evidence-form input[name=title]", "县域学校布局规划")
    page.set_input_files(".evidence-form input[type=file]", str(pdf))
    page.click(".evidence-form button")
    page.wait_for_load_state("networkidle")

    # re-evaluate and lock: the stale banner goes, the lock stays after another evaluation
    page.check("input[name=lock]")
    page.click("#evaluate")
    page.wait_for_load_state("networkidle")
    assert "数据已锁定" in page.inner_text("#verdict")
    assert "请重新评估" not in page.inner_text("#verdict")
    page.click("#evaluate")
    page.wait_for_load_state("networkidle")
    assert "数据已锁定" in page.inner_text("#verdict")
    assert page.locator("#evidence button:has-text('删除')").count() == 0
    page.wait_for_selector("#cv-chart canvas")
    _no_sideways_scroll(page)
    _shot(page, "county-locked", width)
    _logout(page, base)

    # the city reviews the locked evaluation from the county page; the county sees it
    _login(page, base, "city")
    page.goto(county_url)
    page.select_option("#review-form select[name=decision]", "agree")
    page.fill("#review-form input[name=comment]", "材料齐全，同意上报")
    page.click("#review-form button")
    page.wait_for_load_state("networkidle")
    assert "已记录汶上县的市级复核意见" in page.inner_text("ul.messages")
    assert CityReview.objects.get().decision == "agree"
    page.goto(f"{base}/city/370800/{YEAR}/")
    table = page.inner_text("#county-table")
    assert "同意上报" in table and "汶上县" in table
    _shot(page, "city", width)
    _logout(page, base)

    _login(page, base, "county")
    page.goto(county_url)
    assert "同意上报" in page.inner_text("#reviews") and "材料齐全" in page.inner_text("#reviews")
    # the breadcrumb names the city without a link the county cannot open
    assert page.locator(".crumbs a").count() == 0
    _shot(page, "county-reviewed", width)
    _logout(page, base)
    page.close()


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_error_logout_history_and_admin_pages(live_server, browser, width):  # noqa: F811
    w = build_world(RecordStatus.DRAFT)
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    page = browser.new_page(viewport={"width": WIDTHS[width], "height": 900}, locale="zh-CN")

    # a school clerk: a foreign or silly URL gives a Chinese page with the menu and 退出
    _login(page, base, "school")
    page.goto(f"{base}/county/410102/{YEAR}/")
    assert "页面不存在" in page.inner_text("main") and page.locator("header nav").count() == 1
    page.goto(f"{base}/school/1370830001/99999999999999999999/")
    assert "年度“99999999999999999999”无效" in page.inner_text("main")
    _shot(page, "error-404", width)
    # history in Chinese after a submit
    page.goto(f"{base}/school/1370830001/{YEAR}/")
    page.click("text=提交区县审核")
    page.wait_for_load_state("networkidle")
    assert "状态：草稿 → 已提交" in page.inner_text("#history")
    # GET /logout/ asks; the button logs out
    page.goto(f"{base}/logout/")
    assert "确定要退出" in page.inner_text("main")
    _shot(page, "logout", width)
    page.click("#confirm-logout")
    page.wait_for_url("**/login/")

    # the API docs open offline (Swagger UI from static files) after login
    _login(page, base, "county")
    page.goto(f"{base}/api/docs")
    page.wait_for_selector(".swagger-ui .info", timeout=15000)
    assert "均衡 junheng API" in page.inner_text(".swagger-ui .info")
    _logout(page, base)

    # the admin creates a county account with role and unit on one screen; a bad code is refused
    _login(page, base, "admin")
    page.goto(f"{base}/admin/auth/user/add/")
    page.fill("input[name=username]", "clerk9")
    page.fill("input[name=password1]", "Zx9-long-pass")
    page.fill("input[name=password2]", "Zx9-long-pass")
    page.select_option("select[name=profile-0-role]", "county")
    page.fill("input[name=profile-0-unit_code]", "999999")
    page.click("input[name=_save]")
    page.wait_for_load_state("networkidle")
    assert "没有代码为“999999”的区县" in page.inner_text("body")
    _shot(page, "admin-bad-unit", width)
    page.fill("input[name=password1]", "Zx9-long-pass")
    page.fill("input[name=password2]", "Zx9-long-pass")
    page.fill("input[name=profile-0-unit_code]", "370830")
    page.click("input[name=_save]")
    page.wait_for_load_state("networkidle")
    from django.contrib.auth.models import User

    assert User.objects.get(username="clerk9").profile.unit_code == "370830"
    page.goto(f"{base}/admin/auth/user/")
    assert "区县教育督导" in page.inner_text("#result_list")
    _shot(page, "admin-users", width)
    assert CountyRecord.objects.filter(county=w.own).count() == 1
    page.close()
