"""Report downloads from the web pages: each role × own and foreign unit, and the files' figures.

The web world's 汶上县 has 第1小学 (1000 pupils), 第2小学 (800) and 第101中学 (1000), all urban.
"""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from django.test import Client

from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db

ROLES = ("school", "county", "city", "province", "admin", "norole", "anonymous")
ROUTES = [
    ("county report", "/county/{county}/{year}/report/xlsx/", {"county", "city", "province"}),
    ("city overview", "/city/{city}/{year}/overview/xlsx/", {"city", "province"}),
    ("province overview", "/province/{province}/{year}/overview/xlsx/", {"province"}),
]


def _client(w, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(w.users[role])
    return client


@pytest.mark.parametrize(("name", "url", "allowed"), ROUTES, ids=[r[0] for r in ROUTES])
def test_download_by_role_and_unit(name, url, allowed):
    w = build_world()
    for side, county in (("own", w.own), ("foreign", w.foreign)):
        ids = {"county": county.code, "city": county.city.code,
               "province": county.city.province.code, "year": YEAR}  # fmt: skip
        for role in ROLES:
            resp = _client(w, role).get(url.format(**ids))
            where = f"{name} {side} {role}: {resp.status_code}"
            if role == "anonymous":
                assert resp.status_code == 302, where
            elif role == "admin" or (side == "own" and role in allowed):
                assert resp.status_code == 200, where
                assert resp["Content-Type"].endswith("spreadsheetml.sheet"), where
            else:
                assert resp.status_code in (403, 404), where


def test_county_declaration_download_has_the_countys_figures():
    w = build_world()
    resp = _client(w, "county").get(f"/county/370830/{YEAR}/report/xlsx/")
    assert resp.status_code == 200
    assert "attachment" in resp["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(resp.content))
    ws = wb["表Ⅰ"]
    # 2 小学 and 1 初中; 1800 primary and 1000 junior pupils; population 70 (county_row)
    assert [ws.cell(7, c).value for c in (1, 9, 11, 19, 20)] == [70, 2, 1, 1800, 1000]
    assert "汶上县" in wb["表Ⅲ"]["A1"].value


def test_county_word_report_download_names_the_county():
    w = build_world()
    resp = _client(w, "city").get(f"/county/370830/{YEAR}/report/docx/")
    assert resp.status_code == 200
    d = docx.Document(io.BytesIO(resp.content))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "汶上县县域义务教育优质均衡发展督导评估自评报告" in text
    assert len(d.inline_shapes) == 4


def test_province_overview_lists_only_counties_in_scope():
    w = build_world()
    resp = _client(w, "province").get(f"/province/370000/{YEAR}/overview/xlsx/")
    ws = openpyxl.load_workbook(io.BytesIO(resp.content))["区县排名"]
    names = [ws.cell(r, 3).value for r in range(4, ws.max_row + 1)]
    assert names == ["汶上县"]
    assert ws["A1"].value == "山东省县域义务教育优质均衡发展评估汇总"


def test_unknown_format_and_empty_year_come_back_as_messages():
    w = build_world()
    client = _client(w, "county")
    resp = client.get(f"/county/370830/{YEAR}/report/odt/", follow=True)
    assert "不支持的报告格式“odt”" in resp.content.decode()
    resp = client.get("/county/370830/2019/report/docx/", follow=True)
    assert "汶上县2019年没有学校数据" in resp.content.decode()


def test_county_page_shows_download_buttons_except_to_schools():
    w = build_world()
    page = _client(w, "county").get(f"/county/370830/{YEAR}/").content.decode()
    assert f"/county/370830/{YEAR}/report/pdf/" in page and "自评报告（Word）" in page
    city = _client(w, "city").get(f"/city/370800/{YEAR}/").content.decode()
    assert f"/city/370800/{YEAR}/overview/docx/" in city


def test_database_source_finds_the_county_by_name_and_refuses_unknown_ones(tmp_path):
    from junheng.errors import JunhengError
    from junheng.reports.county import ReportFormat
    from junheng.standard import load_standard
    from junheng.web.info.services.reporting import database_report

    build_world()
    std = load_standard()
    out = database_report("汶上县", YEAR, std, ReportFormat.xlsx, tmp_path / "表.xlsx")
    ws = openpyxl.load_workbook(out)["表Ⅰ"]
    assert [ws.cell(7, c).value for c in (9, 11, 19, 20)] == [2, 1, 1800, 1000]
    with pytest.raises(JunhengError, match="信息库中没有区县“无此县”"):
        database_report("无此县", YEAR, std, ReportFormat.xlsx, tmp_path / "x.xlsx")
    with pytest.raises(JunhengError, match="汶上县2019年没有学校数据"):
        database_report("370830", 2019, std, ReportFormat.xlsx, tmp_path / "y.xlsx")


def test_word_report_lists_the_open_rectification_items():
    from junheng.web.info.models import CountyRecord, RecordStatus
    from junheng.web.info.services.workflow import evaluate_county

    w = build_world(RecordStatus.APPROVED)
    CountyRecord.objects.filter(county=w.own, year=YEAR).update(layout_ok=False)
    evaluate_county(w.users["county"], w.own, YEAR)  # the ledger takes the failing item
    resp = _client(w, "county").get(f"/county/370830/{YEAR}/report/docx/")
    d = docx.Document(io.BytesIO(resp.content))
    rows = [[c.text for c in r.cells] for t in d.tables for r in t.rows]
    ledger = [r for r in rows if r[0].startswith("政府保障程度第1项")]
    assert len(ledger) == 1
    assert ledger[0][3] == "待整改"
    assert "暂无整改台账。" not in "\n".join(p.text for p in d.paragraphs)


def test_county_report_is_made_once_per_state_of_its_data(monkeypatch):
    """A second download of the same report is read from the cache; a saved change to a
    school's data makes the next download write it again; so would another ledger."""
    from junheng.web.info.services import reporting
    from junheng.web.info.services.reportcache import forget_reports

    forget_reports()
    w = build_world()
    made = []
    real = reporting.write_county_report_isolated

    def counting(*args, **kwargs):
        made.append(args[4])
        return real(*args, **kwargs)

    monkeypatch.setattr(reporting, "write_county_report_isolated", counting)
    client = _client(w, "county")
    url = f"/county/370830/{YEAR}/report/xlsx/"
    first = client.get(url).content
    again = client.get(url).content
    assert made == ["370830"] and again == first
    # the city sees the same ledger (none here): the same file, still not written again
    assert _client(w, "city").get(url).content == first and len(made) == 1

    rec = w.record(w.own, 0)  # 第1小学, 1000 pupils → 1234
    rec.p_students = 1234
    rec.version += 1
    rec.save()
    changed = client.get(url).content
    assert len(made) == 2
    ws = openpyxl.load_workbook(io.BytesIO(changed))["表Ⅰ"]
    assert ws.cell(7, 19).value == 2034  # 1234 + 800 primary pupils
    # the ledger the user sees is part of the key: an item closed gives another report
    from junheng.reports.context import LedgerItem
    from junheng.standard import load_standard
    from junheng.web.info.services.reportcache import report_key

    std, item = (
        load_standard(),
        LedgerItem(title="生均教学及辅助用房面积不足", owner="", due="", status="待整改"),
    )
    assert report_key(w.own, YEAR, std, "xlsx", [item], {}) != report_key(
        w.own, YEAR, std, "xlsx", [], {}
    )
    assert report_key(w.own, YEAR, std, "xlsx", [], {}) == report_key(
        w.own, YEAR, std, "xlsx", [], {}
    )
    # another format is its own report
    client.get(f"/county/370830/{YEAR}/report/docx/")
    assert made == ["370830"] * 3


def test_a_report_not_cached_asks_once_whether_the_county_has_data():
    """The check for a year without school data runs once per download, not again when the
    report is written after a cache miss."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from junheng.web.info.services.reportcache import forget_reports
    from junheng.web.info.services.reporting import county_report_file

    forget_reports()
    w = build_world()
    with CaptureQueriesContext(connection) as ctx:
        name, data = county_report_file(w.users["county"], "370830", YEAR, "xlsx")
    assert name.startswith(f"汶上县{YEAR}年") and name.endswith(".xlsx")
    assert data[:2] == b"PK"  # an xlsx file was written: the cache was missed
    asks = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith('SELECT 1 AS "a"') and "schoolrecord" in q["sql"]
    ]
    assert len(asks) == 1, asks
