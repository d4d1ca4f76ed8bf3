"""Overviews downloaded from the web pages carry the ledger and monitoring; --year on the database.

汶上县 of the web world fails 政府保障程度第1项 (布局规划) once evaluated: the ledger takes one
open item, given a deadline in the past; the county is recognised nationally in 2026, so its
monitoring shows two 严重 warnings (the year's verdict lost, the item failed). 中原区 in the
other province gets an item too, which no overview of 山东省 may show.
"""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.test import Client

from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db


def _world():
    from junheng.web.creation.models import ChainStep, Step
    from junheng.web.info.models import CountyRecord, RecordStatus
    from junheng.web.info.services.workflow import evaluate_county
    from junheng.web.ledger.models import LedgerItem

    w = build_world(RecordStatus.APPROVED)
    runs = {}
    for county in (w.own, w.foreign):
        CountyRecord.objects.filter(county=county, year=YEAR).update(layout_ok=False)
        runs[county.code] = evaluate_county(w.users["admin"], county, YEAR)
    LedgerItem.objects.filter(county=w.own).update(deadline=dt.date(2020, 1, 1))
    ChainStep.objects.create(county=w.own, step=Step.NATIONAL, passed=True, year=YEAR,
                             batch="第一批", run=runs[w.own.code], snapshot={},
                             actor=w.users["admin"])  # fmt: skip
    return w


def _get(w, role: str, url: str) -> bytes:
    client = Client()
    client.force_login(w.users[role])
    resp = client.get(url)
    assert resp.status_code == 200, resp.status_code
    return resp.content


def test_city_overview_lists_the_open_item_and_warnings_of_its_county():
    w = _world()
    wb = openpyxl.load_workbook(io.BytesIO(_get(w, "city", f"/city/370800/{YEAR}/overview/xlsx/")))
    ledger = wb["整改台账"]
    assert ledger["A2"].value == "1个区县共有未销号整改事项1项，其中逾期1项。"
    row = [c.value for c in ledger[4]]
    assert row[:4] == ["370830", "汶上县", 1, 1]
    assert row[4].startswith("1. 政府保障程度第1项") and row[4].endswith(
        "（待整改，完成时限2020-01-01，已逾期）"
    )
    assert ledger.max_row == 4  # 中原区's item stays out
    watch = wb["巩固监测"]
    assert (
        watch["A2"].value == "列入巩固监测的区县1个，其中1个有预警（严重2条、预警0条、提示0条）。"
    )
    row = [c.value for c in watch[4]]
    assert row[:6] == ["370830", "汶上县", "2026年", 2, 0, 0]
    assert row[6].count("【严重】") == 2


def test_province_overview_in_word_has_both_sections():
    w = _world()
    d = docx.Document(io.BytesIO(_get(w, "province", f"/province/370000/{YEAR}/overview/docx/")))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "1个区县共有未销号整改事项1项，其中逾期1项。" in text
    assert "列入巩固监测的区县1个" in text
    rows = [[c.text for c in r.cells] for t in d.tables for r in t.rows]
    assert ["370830", "汶上县", "1", "1"] in [r[:4] for r in rows]
    assert not any("中原区" in cell for r in rows for cell in r)


def test_a_province_with_no_recognised_county_says_so():
    from junheng.web.info.models import RecordStatus

    w = build_world(RecordStatus.APPROVED)
    wb = openpyxl.load_workbook(
        io.BytesIO(_get(w, "province", f"/province/370000/{YEAR}/overview/xlsx/"))
    )
    assert wb["整改台账"]["A2"].value == "各区县没有未销号的整改事项。"
    assert wb["巩固监测"]["A2"].value == "没有已通过国家认定、列入巩固监测的区县。"


def test_database_report_takes_the_year_asked_for_and_lists_the_stored_ones(tmp_path):
    from junheng.errors import JunhengError
    from junheng.reports.county import ReportFormat
    from junheng.standard import load_standard
    from junheng.web.info.models import SchoolRecord
    from junheng.web.info.services.reporting import database_report

    w = build_world()
    # a second year whose 第1小学 has 1200 pupils instead of 1000
    for rec in SchoolRecord.objects.filter(school__county=w.own, year=YEAR):
        rec.pk, rec.year = None, YEAR - 1
        rec.save()
    SchoolRecord.objects.filter(school=w.school(w.own), year=YEAR - 1).update(p_students=1200)
    std = load_standard()
    for year, pupils in ((YEAR, 1800), (YEAR - 1, 2000)):
        out = database_report("370830", year, std, ReportFormat.xlsx, tmp_path / f"{year}.xlsx")
        assert openpyxl.load_workbook(out)["表Ⅰ"].cell(7, 19).value == pupils
    out = database_report("370830", YEAR, std, ReportFormat.docx, tmp_path / "r.docx")
    assert f"评估年度：{YEAR}年" in "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    with pytest.raises(JunhengError) as err:
        database_report("370830", 2019, std, ReportFormat.xlsx, tmp_path / "y.xlsx")
    assert str(err.value) == (f"汶上县2019年没有学校数据，无法生成报告。信息库中有{YEAR - 1}、{YEAR}年"
                              "的数据，请用其中一个年度。")  # fmt: skip
