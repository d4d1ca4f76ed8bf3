"""达标测算 → 整改台账: the plan's measures in the ledger's keys, written by the county only."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client

from conftest import primary_school
from junheng import load_standard
from junheng.planner import load_costs, plan
from junheng.planner.measures import PREFIX, measures, merged
from junheng.reader import dataset_from_records
from junheng.web.info.models import SchoolRecord
from junheng.web.info.services import workflow
from junheng.web.info.services.errors import NotAllowed, WorkflowError
from junheng.web.ledger.models import LedgerItem
from junheng.web.planning.services import write_to_ledger
from webfixtures import YEAR, World, build_world

STD = load_standard("national-2017")
KEY = "school:1370830001:equipment_value"
# 1000 pupils from 1000 to 1700 元 each (85% of 2000): 700 000 元, and 1 元 more because
# the plan aims a hair above the floor and buys whole 元
MEASURE = f"{PREFIX}购置教学仪器设备 70.00 万元"


def test_cv_item_lists_the_schools_lifted_cheapest_first():
    # three schools of 1000 pupils with 30, 8, 8 ㎡ of sports ground each: the two weak ones
    # are lifted (test_planner), and both are named in the CV item of the primary stage
    schools = [primary_school(1, sports_ground=30_000.0), primary_school(2, sports_ground=8_000.0),
               primary_school(3, sports_ground=8_000.0)]  # fmt: skip
    p = plan(dataset_from_records(schools, None, STD), STD, load_costs())
    m = measures(p)
    text = m[("370830", "cv:primary:sports_area")]
    assert text.startswith(f"{PREFIX}第")
    assert "第2小学：新建运动场地" in text and "第3小学：新建运动场地" in text
    assert "第1小学" not in text
    # each lifted school's own item too (the school items of a CV failure)
    assert m[("370830", "school:1370830002:sports_area")].startswith(f"{PREFIX}新建运动场地 ")
    assert ("370830", "school:1370830001:sports_area") not in m


def test_merged_keeps_what_a_person_wrote_and_replaces_the_old_plan():
    assert merged("", f"{PREFIX}甲") == f"{PREFIX}甲"
    assert merged("县财政追加预算", f"{PREFIX}甲") == f"县财政追加预算\n{PREFIX}甲"
    assert merged(f"县财政追加预算\n{PREFIX}甲", f"{PREFIX}乙") == f"县财政追加预算\n{PREFIX}乙"


needs_db = pytest.mark.django_db


def _short_equipment(w: World) -> LedgerItem:
    """第1小学 (1000 pupils): equipment 100 万元 → 1000 元 per pupil (standard 2000, floor 1700)."""
    SchoolRecord.objects.filter(school=w.school(w.own, 0), year=YEAR).update(equipment=100.0)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    return LedgerItem.objects.get(county=w.own, key=KEY)


@needs_db
def test_county_writes_the_plan_into_the_open_item_with_history():
    w = build_world()
    item = _short_equipment(w)
    before = item.history.count()
    done = write_to_ledger(w.users["county"], "370830", YEAR, load_costs(), None)
    assert (done.written, done.untouched) == (1, 0)
    item.refresh_from_db()
    assert item.measure == MEASURE
    assert item.history.count() == before + 1
    assert item.history.first().measure == MEASURE
    # again: the same text, nothing duplicated, no new history
    write_to_ledger(w.users["county"], "370830", YEAR, load_costs(), None)
    item.refresh_from_db()
    assert item.measure == MEASURE and item.history.count() == before + 1


@needs_db
def test_a_measure_written_by_hand_stays():
    w = build_world()
    item = _short_equipment(w)
    LedgerItem.objects.filter(pk=item.pk).update(measure="县财政追加预算")
    write_to_ledger(w.users["county"], "370830", YEAR, load_costs(), None)
    item.refresh_from_db()
    assert item.measure == f"县财政追加预算\n{MEASURE}"


@needs_db
def test_a_closed_item_is_never_changed():
    w = build_world()
    item = _short_equipment(w)
    LedgerItem.objects.filter(pk=item.pk).update(status=LedgerItem.State.CLOSED)
    done = write_to_ledger(w.users["county"], "370830", YEAR, load_costs(), None)
    assert (done.written, done.untouched) == (0, 0)
    item.refresh_from_db()
    assert item.measure == ""


@needs_db
@pytest.mark.parametrize("role", ["school", "city", "province", "admin", "norole"])
def test_only_the_county_may_write(role):
    w = build_world()
    item = _short_equipment(w)
    with pytest.raises((NotAllowed, Http404)):
        write_to_ledger(w.users[role], "370830", YEAR, load_costs(), None)
    item.refresh_from_db()
    assert item.measure == ""


@needs_db
def test_another_countys_ledger_is_out_of_reach():
    w = build_world()
    with pytest.raises(Http404):
        write_to_ledger(w.users["county"], "410102", YEAR, load_costs(), None)


@needs_db
def test_no_data_that_year_is_refused_in_chinese():
    w = build_world()
    with pytest.raises(WorkflowError, match="没有学校数据"):
        write_to_ledger(w.users["county"], "370830", YEAR + 1, load_costs(), None)


@needs_db
def test_page_button_writes_with_the_pages_costs():
    w = build_world()
    item = _short_equipment(w)
    c = Client()
    c.force_login(w.users["county"])
    page = c.get(f"/county/370830/{YEAR}/plan/").content.decode()
    assert "写入整改台账" in page
    # the page's own costs: equipment at 2 元 per 元 doubles the cost, not the measure
    from urllib.parse import urlencode

    from junheng.web.planning.forms import FIELDS

    costs = {k: getattr(load_costs(), k) for k in FIELDS}
    query = urlencode({**costs, "equipment": 2, "allow_moves": "on"})
    resp = c.post(f"/county/370830/{YEAR}/plan/ledger/", {"query": query}, follow=True)
    body = resp.content.decode()
    assert "已把测算方案写入整改台账中 1 个未销号事项的整改措施" in body
    item.refresh_from_db()
    assert item.measure == MEASURE
    c.force_login(w.users["city"])
    assert "写入整改台账" not in c.get(f"/county/370830/{YEAR}/plan/").content.decode()
    resp = c.post(f"/county/370830/{YEAR}/plan/ledger/", {"query": query}, follow=True)
    assert "只有本区县的督导人员可以把测算方案写入整改台账" in resp.content.decode()
    bad = c.post(f"/county/370830/{YEAR}/plan/ledger/", {"query": "move=-1"}, follow=True)
    assert "测算条件填写有误，未写入整改台账" in bad.content.decode()
