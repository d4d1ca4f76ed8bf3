"""In a real browser (Playwright driving Debian's chromium): log in, import a workbook
with an error and then the fixed one, submit → return → resubmit → approve, evaluate,
and the county page with its chart. Screenshots go to build/screenshots/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import primary_school
from junheng.web.info.models import EvaluationRun, RecordStatus, SchoolRecord
from junheng.web.info.services.records import school_contract
from junheng.workbook import write_workbook
from webfixtures import PASSWORD, YEAR, build_world

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
    ),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are plain synchronous ones
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        )  # fmt: skip
        yield b
        b.close()


@pytest.fixture(autouse=True)
def _close_server_connections():
    """Kept for the modules that import it; the live server's connections are ended once, at
    the end of the session (conftest), since ending them here also ended this process's own
    connection of the browser's context and failed the next test's first query."""
    yield


def _login(page, base, user):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state("networkidle")


def _logout(page):
    page.click("header form button")
    page.wait_for_url("**/login/")


def test_import_review_and_county_page(live_server, browser, tmp_path):
    w = build_world(RecordStatus.DRAFT)
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")

    # the county imports a workbook with a negative pupil count: refused, row and column named
    rows = [
        school_contract(r)
        for r in SchoolRecord.objects.filter(school__county=w.own).select_related("school__county")
    ]
    bad = write_workbook(tmp_path / "坏数据.xlsx", [rows[0] | {"p_students": -5}, *rows[1:]], None)
    _login(page, base, "county")
    assert "/county/370830/" in page.url
    page.goto(f"{base}/import/?year={YEAR}")
    page.set_input_files("input[type=file]", str(bad))
    page.click("#upload-form button")
    page.wait_for_selector("#preview")
    text = page.inner_text("#preview")
    assert "整个文件不会导入" in text and "小学在校生数" in text and "-5" in text
    page.screenshot(path=str(SHOTS / "import-error.png"), full_page=True)

    # the fixed file: preview shows the change, confirm imports it
    good = write_workbook(tmp_path / "好数据.xlsx", [rows[0] | {"p_backbone": 22}, *rows[1:]], None)
    page.set_input_files("input[type=file]", str(good))
    page.click("#upload-form button")
    page.wait_for_selector("#preview")
    assert "小学县级及以上骨干教师数：20 → 22" in page.inner_text("#preview")
    page.click("#preview button.primary")
    page.wait_for_load_state("networkidle")
    assert "导入完成：新增0条，修改1条，未变2条" in page.content()
    assert SchoolRecord.objects.get(school__code="1370830001", year=YEAR).p_backbone == 22
    _logout(page)

    # the school submits
    _login(page, base, "school")
    assert "/school/1370830001/" in page.url
    page.click("text=提交区县审核")
    page.wait_for_load_state("networkidle")
    assert "已提交区县审核" in page.content()
    # the import's change is in the history with old and new values; inputs are now read-only
    assert "小学县级及以上骨干教师数：20 → 22" in page.inner_text("#history")
    assert page.locator("input[name=p_students]").is_disabled()
    page.screenshot(path=str(SHOTS / "school-form.png"), full_page=True)
    _logout(page)

    # the county returns it with a reason (HTMX, no page reload)
    _login(page, base, "county")
    row = page.locator("#rec-1370830001")
    row.locator("input[name=reason]").fill("骨干教师数与名册不符")
    row.locator("text=退回").click()
    page.wait_for_selector("#rec-1370830001 >> text=已退回")
    assert (
        SchoolRecord.objects.get(school__code="1370830001", year=YEAR).status
        == RecordStatus.RETURNED
    )
    _logout(page)

    _login(page, base, "school")
    assert "骨干教师数与名册不符" in page.content()
    page.click("text=提交区县审核")
    page.wait_for_load_state("networkidle")
    _logout(page)

    # the county approves every school, evaluates and locks
    for rec in SchoolRecord.objects.filter(school__county=w.own).exclude(school__code="1370830001"):
        rec.status = RecordStatus.SUBMITTED
        rec.save()
    _login(page, base, "county")
    for code in ("1370830001", "1370830002", "1370830003"):
        page.locator(f"#rec-{code} >> text=审核通过").click()
        page.wait_for_selector(f"#rec-{code} >> text=已审核")
    page.check("input[name=lock]")
    page.click("#evaluate")
    page.wait_for_load_state("networkidle")
    assert "评估完成：通过，数据已锁定" in page.content()
    assert EvaluationRun.objects.get(county=w.own).locked
    page.wait_for_selector("#cv-chart canvas")
    # every school passes: all three (2 primary + 1 junior) in the passing table
    assert page.locator("#passing-schools tbody tr").count() == 3
    page.screenshot(path=str(SHOTS / "county-page.png"), full_page=True)
    _logout(page)

    # the city sees the county ranked and passing
    _login(page, base, "city")
    assert "/city/370800/" in page.url
    assert "通过" in page.inner_text("#county-table")
    page.screenshot(path=str(SHOTS / "city-page.png"), full_page=True)
    assert primary_school  # fixture helpers imported for the workbook rows above
