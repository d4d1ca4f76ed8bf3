"""In a real browser: a county's ledger closing items when the data proves them met, the
review chain to the province's recommendation, and the creation plan pages — each role at
desktop (1280) and phone (390) width. Screenshots go to build/screenshots/."""

from __future__ import annotations

import pytest

from junheng.web.creation.models import ChainStep, CreationPlan, Step
from junheng.web.info.models import CountyRecord, ProvinceTarget, RecordStatus, SchoolRecord
from junheng.web.info.services import workflow
from junheng.web.ledger.models import LedgerItem
from test_web_browser import CHROMIUM, SHOTS, _close_server_connections, _login, browser  # noqa: F401
from webfixtures import YEAR, build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]
WIDTHS = {"desktop": 1280, "phone": 390}
PDF = b"%PDF-1.4\n%%EOF\n"


def _page(b, width):  # type: ignore[no-untyped-def]
    return b.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _menu(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Click a menu entry; at phone width the menu first unfolds under its button."""
    if page.locator(".menu-button").is_visible():
        page.click(".menu-button")
    page.click(f"header nav >> text={text}")


def _item(page, key: str):  # type: ignore[no-untyped-def]
    return page.locator(f"div.item[data-key='{key}']")


def test_ledger_closes_on_data_and_chain_reaches_recommendation(live_server, browser, tmp_path):  # noqa: F811
    w = build_world(RecordStatus.APPROVED)
    base = live_server.url
    school = w.school(w.own, 0)
    SchoolRecord.objects.filter(school=school, year=YEAR).update(equipment=100.0, p_oversized=3)
    CountyRecord.objects.filter(county=w.own, year=YEAR).update(layout_ok=False)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)

    for device, width in WIDTHS.items():
        page = _page(browser, width)
        _login(page, base, "county")
        _menu(page, "整改台账")
        page.wait_for_url(f"**/ledger/county/{w.own.code}/")
        assert page.locator("#n-total").inner_text() == "3"
        assert page.locator("#n-open").inner_text() == "3"
        assert (
            "距标准差 1000000 元"
            in _item(page, f"school:{school.code}:equipment_value").inner_text()
        )
        _shot(page, f"process-ledger-county-{device}")
        page.close()

    page = _page(browser, 1280)
    _login(page, base, "county")
    page.goto(f"{base}/ledger/county/{w.own.code}/")
    # the data still shows the class-size item failing: it cannot be closed by hand
    _item(page, "item:class_size").locator("button", has_text="销号").click()
    page.wait_for_load_state("networkidle")
    assert "最新评估数据显示该项仍未达标，不能销号" in page.locator("ul.messages").inner_text()
    card = _item(page, "item:class_size")
    card.locator("textarea[name=measure]").fill("秋季学期分班，消除大班额")
    card.locator("select[name=unit]").select_option(label="县教育和体育局")
    card.locator("input[name=deadline]").fill(f"{YEAR}-09-01")
    card.locator("button", has_text="保存").click()
    page.wait_for_load_state("networkidle")
    card = _item(page, "item:class_size")
    assert "整改中" in card.locator(".st").inner_text()
    assert "秋季学期分班，消除大班额" in card.inner_text()
    assert "县教育和体育局" in page.locator("h3.group-head").first.inner_text()

    # new data: the school's equipment and classes fixed; the locked evaluation closes both
    SchoolRecord.objects.filter(school=school, year=YEAR).update(equipment=250.0, p_oversized=0)
    run = workflow.evaluate_county(w.users["county"], w.own, YEAR, lock=True)
    page.reload()
    for key in ("item:class_size", f"school:{school.code}:equipment_value"):
        card = _item(page, key)
        assert "已销号" in card.locator(".st").inner_text()
        assert f"据{YEAR}年评估（评估记录#{run.pk}）数据已达标，自动销号" in card.inner_text()
    assert page.locator("#n-closed").inner_text() == "2"
    # the layout item is judged on evidence: upload, then report it done
    evid = tmp_path / "布局规划批复.pdf"
    evid.write_bytes(PDF)
    card = _item(page, "item:layout")
    card.locator("input[type=file]").set_input_files(str(evid))
    card.locator("button", has_text="上传佐证").click()
    page.wait_for_load_state("networkidle")
    _item(page, "item:layout").locator("button", has_text="上报完成").click()
    page.wait_for_load_state("networkidle")
    assert "已报完成" in _item(page, "item:layout").locator(".st").inner_text()
    _shot(page, "process-ledger-county-after-data-desktop")

    # the county submits its locked evaluation as self-evaluation
    _menu(page, "复核推荐")
    page.select_option("#form-self select[name=run]", str(run.pk))
    page.fill("#form-self input[name=opinion]", "自评达到优质均衡")
    page.click("#form-self button")
    page.wait_for_load_state("networkidle")
    assert page.locator("#next-step").inner_text() == "市级复核"
    page.close()

    # the city, on a phone: accepts the evidence, then passes the county to the province
    page = _page(browser, 390)
    _login(page, base, "city")
    _menu(page, "整改台账")
    page.wait_for_url("**/ledger/city/370800/")
    _item(page, "item:layout").locator("button", has_text="确认销号").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("div.item[data-key='item:layout']").count() == 0  # no longer open
    assert "没有未销号的事项" in page.inner_text("main")
    _shot(page, "process-ledger-city-phone")
    page.goto(f"{base}/creation/county/{w.own.code}/chain/")
    page.fill("#form-city textarea[name=opinion]", "同意上报")
    page.click("#form-city button[value='1']")
    page.wait_for_load_state("networkidle")
    assert page.locator("#next-step").inner_text() == "省级评估"
    _shot(page, "process-chain-city-phone")
    page.close()

    page = _page(browser, 1280)
    _login(page, base, "province")
    page.goto(f"{base}/creation/county/{w.own.code}/chain/")
    page.fill("#form-province textarea[name=opinion]", "省级评估达到要求")
    page.fill("#form-province input[name=year]", str(YEAR))
    page.click("#form-province button[value='1']")
    page.wait_for_load_state("networkidle")
    assert page.locator("#next-step").inner_text() == "国家认定"
    rows = page.locator("#chain-table tbody tr")
    assert [rows.nth(i).locator("td").first.inner_text() for i in range(3)] == [
        "县级自评", "市级复核", "省级评估"
    ]  # fmt: skip
    _shot(page, "process-chain-province-desktop")
    page.close()
    assert [s.step for s in ChainStep.objects.filter(county=w.own)] == [
        Step.SELF, Step.CITY, Step.PROVINCE
    ]  # fmt: skip
    assert set(LedgerItem.objects.filter(county=w.own).values_list("status", flat=True)) == {
        "已销号"
    }


def test_plan_pages_by_role_and_width(live_server, browser):  # noqa: F811
    w = build_world(RecordStatus.APPROVED)
    base = live_server.url
    province = w.own.city.province
    for year, share in ((2022, 10.0), (2025, 30.0), (2030, 85.0)):
        ProvinceTarget.objects.create(province=province, year=year, share=share)

    for device, width in WIDTHS.items():
        page = _page(browser, width)
        _login(page, base, "city")
        _menu(page, "创建规划")
        page.wait_for_url("**/creation/city/370800/")
        assert "2022年认定区县占比 10%（本市应达 1 个）" in page.locator("#targets").inner_text()
        if device == "desktop":
            page.select_option("select[aria-label='汶上县计划年度']", "2024")
            page.click("#plan-form button")
            page.wait_for_load_state("networkidle")
            assert "已保存汶上县的计划申报年度：2024年" in page.inner_text("ul.messages")
            # a change needs a reason
            page.select_option("select[aria-label='汶上县计划年度']", "2023")
            page.click("#plan-form button")
            page.wait_for_load_state("networkidle")
            assert "须填写调整原因" in page.inner_text("ul.messages")
            page.fill("input[aria-label='汶上县调整原因']", "提前完成校舍建设")
            page.select_option("select[aria-label='汶上县计划年度']", "2023")
            page.click("#plan-form button")
            page.wait_for_load_state("networkidle")
        cells = page.locator("#plan-table tbody tr").first.locator("td")
        assert cells.nth(0).inner_text() == "济宁市"
        assert cells.nth(3).inner_text() == "汶上县"  # the 2023 column
        assert (
            page.locator("#plan-table tfoot tr").nth(2).locator("td").nth(2).inner_text()
            == "100.0%"
        )
        # 2023 has passed in the page's year 2026 and there is no recommendation: 重点督促
        page.goto(f"{base}/creation/city/370800/?year=2026")
        assert page.locator("#behind-table tbody tr td").first.inner_text() == "汶上县"
        page.wait_for_function("document.querySelector('#plan-chart canvas') !== null")
        _shot(page, f"process-plan-city-{device}")
        page.close()
    assert CreationPlan.objects.get(county=w.own).planned_year == 2023

    for device, width in WIDTHS.items():
        page = _page(browser, width)
        _login(page, base, "province")
        _menu(page, "创建规划")
        page.wait_for_url("**/creation/province/370000/")
        assert page.locator("#plan-form").count() == 0  # only the city files plans
        page.wait_for_function("document.querySelector('#plan-chart canvas') !== null")
        with page.expect_download() as dl:
            page.click("text=导出创建规划表（Excel）")
        assert dl.value.suggested_filename == "370000-plan.xlsx"
        _shot(page, f"process-plan-province-{device}")
        _menu(page, "巩固监测")
        assert "暂无已认定区县" in page.inner_text("#watch-table")
        page.close()

    page = _page(browser, 390)
    _login(page, base, "county")
    resp = page.goto(f"{base}/creation/city/370800/")
    assert resp is not None and resp.status == 404  # a county does not see the city's plan
    page.close()
