"""Report downloads in a real browser (Playwright driving Debian's chromium), desktop and phone.

A county official clicks 申报表（Excel） and 自评报告（Word） on the county page; a city reviewer
clicks the overview's Excel button. Screenshots go to build/screenshots/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest

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

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-gpu", "--no-first-run"])  # fmt: skip
        yield b
        b.close()


def _login(page, base, user):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", [1280, 390])
def test_county_and_city_officials_download_their_reports(live_server, browser, tmp_path, width):
    build_world()
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN",
                            accept_downloads=True)  # fmt: skip
    _login(page, base, "county")
    page.goto(f"{base}/county/370830/{YEAR}/")
    page.screenshot(path=str(SHOTS / f"report-county-{width}.png"), full_page=False)
    with page.expect_download() as got:
        page.click("text=申报表（Excel）")
    xlsx = tmp_path / "申报表.xlsx"
    got.value.save_as(xlsx)
    assert got.value.suggested_filename == f"汶上县{YEAR}年申报表.xlsx"
    ws = openpyxl.load_workbook(xlsx)["表Ⅰ"]
    assert [ws.cell(7, c).value for c in (9, 11, 19)] == [2, 1, 1800]

    with page.expect_download(timeout=120_000) as got:
        page.click("text=自评报告（Word）")
    word = tmp_path / "自评报告.docx"
    got.value.save_as(word)
    text = "\n".join(p.text for p in docx.Document(str(word)).paragraphs)
    assert "汶上县县域义务教育优质均衡发展督导评估自评报告" in text
    page.close()

    page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN",
                            accept_downloads=True)  # fmt: skip
    _login(page, base, "city")
    page.goto(f"{base}/city/370800/{YEAR}/")
    page.screenshot(path=str(SHOTS / f"report-city-{width}.png"), full_page=False)
    with page.expect_download() as got:
        page.click(".downloads >> text=Excel")
    overview = tmp_path / "汇总.xlsx"
    got.value.save_as(overview)
    ws = openpyxl.load_workbook(overview)["区县排名"]
    assert ws["A1"].value == "济宁市县域义务教育优质均衡发展评估汇总"
    assert ws["C4"].value == "汶上县"
    page.close()
