"""The process pages by role and unit, the 推荐表 in the web app, and the demo province."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from docx import Document

from junheng.process.plan import behind_plan
from junheng.web.creation import recommend
from junheng.web.creation.demo import load_process_demo
from junheng.web.creation.models import CreationPlan, Recommendation, WorkPlan
from junheng.web.creation.selectors import county_plans
from junheng.web.creation.workplan_selectors import task_rows
from junheng.web.info.models import County, CountyRecord, ProvinceTarget, RecordStatus, SchoolRecord
from junheng.web.info.services import workflow
from junheng.web.info.services.demo import DEMO_PASSWORD, load_demo
from junheng.web.info.services.errors import NotAllowed
from junheng.web.ledger.models import LedgerItem
from junheng.web.monitoring.selectors import recognised_counties
from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db
ROLES = ("school", "county", "city", "province", "admin", "norole")
READ_COUNTY = {"county", "city", "province", "admin"}

PAGES = [
    ("/ledger/county/{county}/", READ_COUNTY),
    ("/ledger/county/{county}/export/", READ_COUNTY),
    ("/ledger/city/{city}/", {"city", "province", "admin"}),
    ("/ledger/province/{province}/", {"province", "admin"}),
    ("/ledger/city/{city}/export/", {"city", "province", "admin"}),
    ("/creation/city/{city}/", {"city", "province", "admin"}),
    ("/creation/province/{province}/", {"province", "admin"}),
    ("/creation/province/{province}/export/", {"province", "admin"}),
    ("/creation/county/{county}/chain/", READ_COUNTY),
    ("/creation/county/{county}/recommend/", READ_COUNTY),
    ("/creation/county/{county}/recommend.docx", READ_COUNTY),
    ("/monitoring/province/{province}/", {"province", "admin"}),
]


@pytest.mark.parametrize(("url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_process_page_by_role_and_unit(url: str, allowed: set[str]) -> None:
    w = build_world()
    for side, county in (("own", w.own), ("foreign", w.foreign)):
        target = url.format(county=county.code, city=county.city.code,
                            province=county.city.province.code)  # fmt: skip
        for role in ROLES:
            c = Client()
            c.force_login(w.users[role])
            status = c.get(target).status_code
            may = role == "admin" or (side == "own" and role in allowed)
            assert (status == 200) == may, f"{target} {role}: {status}"
            if not may:
                assert status in (403, 404), f"{target} {role}: {status}"
    anon = Client().get(url.format(county=w.own.code, city="370800", province="370000"))
    assert anon.status_code == 302


def test_process_writes_refused_to_other_roles() -> None:
    w = build_world()
    SchoolRecord.objects.filter(school=w.school(w.own), year=YEAR).update(p_oversized=1)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    item = LedgerItem.objects.get(county=w.own)
    for role in ("school", "city", "province"):
        c = Client()
        c.force_login(w.users[role])
        resp = c.post(f"/ledger/item/{item.pk}/save/", {"measure": "x"})
        assert resp.status_code in (403, 404), role
        assert c.post(f"/ledger/county/{w.own.code}/sync/").status_code in (403, 404), role
    assert LedgerItem.objects.get(pk=item.pk).measure == ""
    for role in ("school", "county", "province"):
        c = Client()
        c.force_login(w.users[role])
        assert c.post(f"/creation/county/{w.own.code}/plan/", {"year": "2025"}).status_code in (
            403,
            404,
        )
    assert not CreationPlan.objects.exists()
    c = Client()
    c.force_login(w.users["county"])
    c.post(f"/ledger/item/{item.pk}/save/", {"measure": "分班", "deadline": "2026-13-01"})
    assert LedgerItem.objects.get(pk=item.pk).measure == ""  # a bad date saves nothing
    resp = c.post(f"/ledger/item/{item.pk}/save/", {"measure": "分班", "deadline": "2026-12-01"},
                  follow=True)  # fmt: skip
    assert "已保存整改措施" in resp.content.decode()
    assert LedgerItem.objects.get(pk=item.pk).measure == "分班"


def test_recommend_form_from_records_and_who_writes_what() -> None:
    w = build_world()
    # the fixture's three schools are 城区; make the second one 乡村
    SchoolRecord.objects.filter(school=w.school(w.own, 1), year=YEAR).update(urban_rural="乡村")
    CountyRecord.objects.filter(county=w.own).update(basic_year=2015)
    form, year = recommend.form_of(w.own)
    assert year == YEAR
    # 1000 + 800 primary pupils, 1000 junior; teachers 60 + 48 + 80
    assert (form.schools.total, form.schools.rural) == (3, 1)
    assert (form.pupils.total, form.pupils.rural) == (2800, 800)
    assert (form.teachers.total, form.teachers.rural) == (188, 48)
    assert form.basic_year == 2015
    recommend.save(w.users["county"], w.own, {"situation": "现状", "opinion": "县里写的意见"})
    recommend.save(w.users["province"], w.own, {"opinion": "同意推荐", "situation": "省里改写"})
    rec = Recommendation.objects.get(county=w.own)
    assert (rec.situation, rec.opinion) == ("现状", "同意推荐")
    with pytest.raises(NotAllowed):
        recommend.save(w.users["city"], w.own, {"situation": "x"})
    with pytest.raises(NotAllowed):
        recommend.save(w.users["county"], w.foreign, {"situation": "x"})
    c = Client()
    c.force_login(w.users["province"])
    doc = Document(io.BytesIO(c.get(f"/creation/county/{w.own.code}/recommend.docx").content))
    assert doc.tables[0].rows[4].cells[1].text == "2800（其中农村 800）"


def test_demo_province_shows_the_whole_process() -> None:
    load_demo()
    admin = get_user_model().objects.get(username="admin")
    for county in County.objects.all():
        workflow.evaluate_county(admin, county, 2026)
    logins = load_process_demo(DEMO_PASSWORD)
    assert load_process_demo(DEMO_PASSWORD) == []  # a second run changes nothing
    counties = list(County.objects.order_by("code"))
    assert logins == [("county2", "区县督导（整改台账示例）", counties[1].code)]
    assert sorted(ProvinceTarget.objects.values_list("year", "share")) == [
        (2022, 10.0), (2025, 30.0), (2030, 85.0)
    ]  # fmt: skip
    assert CreationPlan.objects.count() == 8
    plans = county_plans(admin, County.objects.all())
    assert [p.name for p in behind_plan(plans, 2026)] == [counties[1].name, counties[2].name]
    statuses = sorted(
        LedgerItem.objects.filter(county=counties[1]).values_list("status", flat=True)
    )
    assert statuses == ["已报完成", "已销号", "已销号", "整改中"]  # half closed by new data
    watches = recognised_counties(admin, County.objects.all())
    assert [(w.county.code, w.recognised_year) for w in watches] == [
        (counties[5].code, 2024), (counties[0].code, 2023)
    ]  # fmt: skip
    assert watches[0].level is not None and watches[0].level.value == "严重"
    assert LedgerItem.objects.filter(county=counties[3], kind="review").count() == 2
    # two work plans (汶上 and 陵川 presets); overdue tasks first on each
    plans = {p.county.code: p for p in WorkPlan.objects.select_related("county")}
    assert sorted((code, p.phases.count()) for code, p in plans.items()) == [
        (counties[0].code, 4), (counties[1].code, 6)
    ]  # fmt: skip
    today = timezone.localdate()
    assert [r.overdue_days for r in task_rows(plans[counties[0].code], today)] == [40, 12, 0, 0, 0]
    assert [r.overdue_days for r in task_rows(plans[counties[1].code], today)] == [25, 0, 0, 0]
    assert (
        SchoolRecord.objects.filter(school__county=counties[3])
        .exclude(status=RecordStatus.LOCKED)
        .count()
        == 0
    )


def test_city_ledger_export_lists_open_items_with_their_county() -> None:
    import openpyxl

    w = build_world()
    SchoolRecord.objects.filter(school=w.school(w.own), year=YEAR).update(p_oversized=1)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    c = Client()
    c.force_login(w.users["city"])
    resp = c.get("/ledger/city/370800/export/")
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    assert ws is not None
    assert ws["A1"].value == "济宁市县域义务教育优质均衡发展整改台账（未销号事项）"
    assert ws["B3"].value.startswith("汶上县：政府保障程度第5项")
    assert ws["F3"].value == "待整改"
    assert ws.max_row == 3


@pytest.mark.parametrize(("year", "message"), [
    ("二〇二八", "未保存：计划申报年度应为2021—2030年之间的年份，填写的是“二〇二八”"),
    ("2035", "未保存：计划申报年度应为2021—2030年之间的年份，填写的是“2035”"),
])  # fmt: skip
def test_a_planned_year_typed_wrong_is_refused_on_the_city_plan_page(year: str, message: str) -> None:  # fmt: skip
    w = build_world()
    c = Client()
    c.force_login(w.users["city"])
    page = c.post(f"/creation/county/{w.own.code}/plan/", {"year": year}, follow=True)
    assert page.redirect_chain[-1][0] == f"/creation/city/{w.own.city.code}/"
    assert message in page.content.decode()
    assert not CreationPlan.objects.exists()


@pytest.mark.parametrize(("step", "form", "message"), [
    ("self", {"run": "", "opinion": "自评达标"}, "未记录：请选择已锁定数据的评估记录"),
    ("self", {"run": "1", "year": "明年"}, "年度应为数字"),
])  # fmt: skip
def test_a_creation_step_posted_incomplete_says_what_is_missing(step: str, form: dict[str, str], message: str) -> None:  # fmt: skip
    w = build_world()
    c = Client()
    c.force_login(w.users["county"])
    page = c.post(f"/creation/county/{w.own.code}/chain/{step}/", form, follow=True)
    assert page.redirect_chain[-1][0] == f"/creation/county/{w.own.code}/chain/"
    assert message in page.content.decode()
    assert "县级自评" in page.content.decode() and "已记录" not in page.content.decode()
