"""What the county page and the county data form show (server-rendered HTML)."""

from __future__ import annotations

import html as htmllib
import json
import re

import pytest
from django.test import Client

from junheng.web.info.models import CountyRecord, EvaluationRun, RecordStatus
from junheng.web.info.pagedata import build_display
from junheng.web.info.services import workflow
from junheng.web.info.services.records import save_school_record
from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db


def _page(w, user: str = "county", url: str = "") -> str:
    c = Client()
    c.force_login(w.users[user])
    return c.get(url or f"/county/{w.own.code}/{YEAR}/").content.decode()


def _rows(html: str) -> list[str]:
    body = html[html.index('id="school-table"') :]
    body = body[: body.index("</table>")]
    return re.findall(r"<tr class=\"(?:ok|fail)\"><td>([^<]+)</td>", body)


def test_failing_schools_come_first_with_red_cells_and_gaps():
    w = build_world(RecordStatus.SUBMITTED)
    rec = w.record(w.own, 1)  # 第2小学, 800 pupils: 8 qualified teachers → 1.00 per 100 pupils
    save_school_record(w.users["county"], rec, {"p_qualified": 8}, rec.version)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    html = _page(w)
    assert _rows(html) == ["第2小学"]  # only the failing school in the first table
    row = html[html.index('<tr class="fail">') :]
    row = row[: row.index("</tr>")]
    # the primary standard is 4.2 per 100, its 85% floor 3.57: 1.00 is below the floor
    assert '<td class="num">800</td><td class="num floor">1.00</td>' in row
    # to reach 4.2 per 100, 800 pupils need 33.6 teachers: 25.6 more, so 26 people;
    # to the floor 28.56 − 8 = 20.56, so 21
    assert "高学历教师差26人（距85%底线差21）" in row
    assert "达标学校 2 所" in html


def test_values_are_printed_half_up_from_the_decimal():
    std_result = {
        "recognised": True, "reasons": [],
        "resource": {"pass": True, "stages": {}, "schools": [{
            "code": "1", "name": "甲校", "stage": "primary", "students": 10, "pass": True,
            "met": 7, "values": {"qualified_teachers": 2.675, "backbone_teachers": 0.005,
                                 "pe_art_teachers": 1.0, "teaching_area": 1.0, "sports_area": 1.0,
                                 "equipment_value": 1.0, "multimedia_rooms": 1.0},
            "below_standard": [], "below_floor": [], "gaps": [],
        }]},
    }  # fmt: skip
    from junheng.standard import load_standard

    html = build_display(std_result, load_standard())["passing_html"]
    assert '<td class="num">2.68</td><td class="num">0.01</td>' in html


def test_a_passing_county_shows_no_reasons_list():
    w = build_world(RecordStatus.SUBMITTED)
    run = workflow.evaluate_county(w.users["county"], w.own, YEAR)
    assert run.recognised
    html = _page(w)
    assert "各项均已达标，没有未达标原因" in html
    assert "（0条）" not in html and '<li class="ok">无</li>' not in html


def test_a_vetoed_county_shows_eligibility_and_veto_boxes():
    w = build_world(RecordStatus.SUBMITTED)
    CountyRecord.objects.filter(county=w.own).update(veto_exam=True)
    run = workflow.evaluate_county(w.users["county"], w.own, YEAR)
    assert not run.recognised
    html = _page(w)
    parts = html[html.index('class="parts"') :]
    parts = parts[: parts.index('class="actions-bar"')]
    assert re.search(r"p-ok\"[^>]*><b>申报资格</b><span>达标</span>", parts)
    assert re.search(r"p-bad\"[^>]*><b>一票否决</b><span>存在</span>", parts)
    assert "考试招生" in parts


def test_breadcrumb_links_the_city_only_for_who_may_open_it():
    w = build_world()
    assert f'href="/city/{w.own.city.code}/{YEAR}/"' not in _page(w, "county")
    assert f'href="/city/{w.own.city.code}/{YEAR}/"' in _page(w, "city")


def test_review_queue_counts_each_status():
    w = build_world(RecordStatus.SUBMITTED)
    rec = w.record(w.own)
    workflow.approve(w.users["county"], rec)
    html = _page(w)
    counts = html[html.index('class="counts"') :]
    counts = counts[: counts.index("</p>")]
    assert "草稿 0" in counts and "已提交 2" in counts and "已审核 1" in counts


def test_cv_chart_marks_failing_bars_and_gives_limits():
    w = build_world(RecordStatus.SUBMITTED)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    html = _page(w)
    found = re.search(r"id=\"cv-chart\" class=\"chart\" data-chart='([^']+)'", html)
    data = json.loads(htmllib.unescape(found[1]))
    limits = {s["name"]: s["limit"] for s in data["series"]}
    assert limits == {"小学": 0.5, "初中": 0.45}
    assert all(f is False for s in data["series"] for f in s["fails"])
    # 第1小学 1.1 and 第2小学 1.125 PE/art teachers per 100 pupils, weighted 1000:800 → 0.011
    primary = next(s for s in data["series"] if s["name"] == "小学")
    assert primary["labels"][2] == "0.011"


def test_trend_uses_summaries_not_results():
    w = build_world(RecordStatus.SUBMITTED)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    run = EvaluationRun.objects.get()
    assert run.summary["reasons"] == 0 and run.summary["cv"]["junior"] == 0.0
    html = _page(w)
    found = re.search(r"id=\"trend-chart\" class=\"chart small\" data-chart='([^']+)'", html)
    trend = json.loads(htmllib.unescape(found[1]))
    assert trend == [{"year": YEAR, "recognised": True, "reasons": 0,
                      "cv": {"primary": 0.011, "junior": 0.0}}]  # fmt: skip


def test_county_form_is_grouped_as_the_declaration_form():
    w = build_world()
    html = _page(w, url=f"/county/{w.own.code}/{YEAR}/data/")
    order = [html.index(t) for t in ("基本情况", "Ⅰ 申报资格", "Ⅳ 政府保障程度", "Ⅴ 教育质量",
                                     "Ⅵ 社会认可度", "一票否决")]  # fmt: skip
    assert order == sorted(order)
    guarantee = html[html.index("Ⅳ 政府保障程度") : html.index("Ⅴ 教育质量")]
    # item 8 (teacher pay) holds its three fields; item 3 is computed from the schools
    item8 = guarantee[guarantee.index('item-no">8.') : guarantee.index('item-no">9.')]
    for name in ("teacher_pay", "civil_pay", "merit_pay_full"):
        assert f'name="{name}"' in item8
    item3 = guarantee[guarantee.index('item-no">3.') : guarantee.index('item-no">4.')]
    assert "由学校数据计算" in item3 and "<input" not in item3
    assert "元" in item8  # units beside the fields
    assert "修改记录" in html


def test_county_page_queries_do_not_grow_with_schools_or_runs(django_assert_max_num_queries):
    """The county page reads each thing once: the review queue's count, its status counts
    and the lock state come from one grouped count (they were three more queries), and the
    rows' links are made without a query or a reverse per row."""
    w = build_world()
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    c = Client()
    c.force_login(w.users["county"])
    c.get(f"/county/370830/{YEAR}/")  # the session's first refresh is written here
    with django_assert_max_num_queries(15):
        html = c.get(f"/county/370830/{YEAR}/").content.decode()
    # the links of the queue's rows are those of the school form and the review actions
    assert f'href="/school/1370830001/{YEAR}/"' in html
    assert f'hx-post="/school/1370830001/{YEAR}/approve/"' in html
    assert "已提交 3" in html


def test_queue_rows_are_escaped_and_offer_each_status_its_actions():
    w = build_world()  # every record submitted
    rec = w.record(w.own, 0)
    rec.name = "<b>第1小学</b>"
    rec.save()
    html = _page(w)
    row = re.search(r'<tr id="rec-1370830001">.*?</tr>', html, re.S).group(0)
    assert "&lt;b&gt;第1小学&lt;/b&gt;" in row and "<b>" not in row
    assert f'href="/school/1370830001/{YEAR}/"' in row
    assert "审核通过" in row and "退回</button>" in row  # submitted: approve or return
    c = Client()
    c.force_login(w.users["county"])
    resp = c.post(
        f"/school/1370830001/{YEAR}/return/", {"reason": "缺<数据>"}, HTTP_HX_REQUEST="true"
    )
    row = resp.content.decode()
    assert row.startswith('<tr id="rec-1370830001">') and row.endswith("</tr>")
    assert "已退回" in row and "缺&lt;数据&gt;" in row
    assert "审核通过" not in row and "退回</button>" not in row  # returned: the school's turn
    city = Client()
    city.force_login(w.users["city"])
    assert "审核通过" not in city.get(f"/county/370830/{YEAR}/").content.decode()
