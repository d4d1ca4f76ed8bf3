"""The county plan page: service, permissions per role, the what-if form, Excel download."""

from __future__ import annotations

import pytest
from django.test import Client

from junheng.planner import load_costs
from junheng.web.info.models import SchoolRecord
from junheng.web.planning.services import county_plan
from webfixtures import PASSWORD, YEAR, build_world

pytestmark = pytest.mark.django_db
ROLES = ("school", "county", "city", "province", "admin", "norole")
MAY_SEE = {"county", "city", "province", "admin"}


def short_world():
    """汶上县 with 第1小学 (1000 pupils) down to 34 teachers, all qualified: 3.4 < 3.57 per 100.

    It needs two more; 第2小学 (800 pupils, 40 qualified of 48) can give 6 and still meet 4.2.
    """
    w = build_world()
    SchoolRecord.objects.filter(school__code="1370830001", year=YEAR).update(
        p_teachers=34, p_qualified=34, p_backbone=20, p_pe_art=11, certified=34,
        trained=34,
    )  # fmt: skip
    return w


def test_service_plans_the_users_county_by_hand():
    w = short_world()
    hires = county_plan(w.users["county"], "370830", YEAR,
                        load_costs().with_changes(allow_moves=False), None)  # fmt: skip
    assert hires.plan is not None and hires.plan["reached"]
    assert hires.plan["total_cost"] == 2 * 120_000
    moves = county_plan(w.users["county"], "370830", YEAR, load_costs(), None)
    assert moves.plan is not None and moves.plan["total_cost"] == 2 * 15_000
    [giver, taker] = sorted(moves.plan["schools"], key=lambda s: s["code"], reverse=True)
    assert "交流轮岗调出高于规定学历教师（到第1小学） 2 人" in giver["text"]
    assert "交流轮岗调入高于规定学历教师（来自第2小学） 2 人，3.00 万元" in taker["text"]


def test_service_says_when_there_is_no_data():
    w = build_world()
    r = county_plan(w.users["county"], "370830", YEAR + 1, load_costs(), None)
    assert r.plan is None and r.error == f"{YEAR + 1}年没有学校数据，不能测算。"


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize("side", ["370830", "410102"])
def test_page_by_role_and_unit(role, side):
    w = short_world()
    c = Client()
    if role != "anonymous":
        c.force_login(w.users[role])
    resp = c.get(f"/county/{side}/{YEAR}/plan/")
    if role == "anonymous":
        assert resp.status_code == 302 and "/login/" in resp["Location"]
    elif (side == "370830" and role in MAY_SEE) or role == "admin":
        assert resp.status_code == 200
        assert "测算投入 3.00 万元" in resp.content.decode() if side == "370830" else True
    else:
        assert resp.status_code in (403, 404)


def test_what_if_costs_and_budget_resolve_the_plan():
    w = short_world()
    c = Client()
    c.force_login(w.users["county"])
    defaults = {k: v for k, v in vars_of(load_costs()).items()}
    resp = c.get(f"/county/370830/{YEAR}/plan/", {**defaults, "move": 200_000, "allow_moves": "on"},
                 HTTP_HX_REQUEST="true")  # fmt: skip
    body = resp.content.decode()
    assert "<html" not in body  # the partial for HTMX
    assert "测算投入 24.00 万元" in body
    resp = c.get(f"/county/370830/{YEAR}/plan/", {**defaults, "budget": 100_000})
    body = resp.content.decode()
    assert "在给定条件下资源配置仍不能达标" in body
    assert "第1小学（小学）仍未达到“至少6项达标、其余不低于85%”" in body


def test_bad_form_values_are_shown_in_chinese_without_solving():
    w = short_world()
    c = Client()
    c.force_login(w.users["county"])
    params = {**vars_of(load_costs()), "move": -1, "budget": "很多"}
    body = c.get(f"/county/370830/{YEAR}/plan/", params).content.decode()
    assert "不能小于 0" in body and "请填写数字（元）" in body
    assert "测算投入" not in body


def test_excel_download():
    w = short_world()
    c = Client()
    c.force_login(w.users["city"])
    resp = c.get(f"/county/370830/{YEAR}/plan/", {"format": "xlsx"})
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    assert resp.content[:2] == b"PK"


def test_county_page_links_to_the_plan():
    w = build_world()
    c = Client()
    c.force_login(w.users["province"])
    assert (
        f'href="/county/370830/{YEAR}/plan/"' in c.get(f"/county/370830/{YEAR}/").content.decode()
    )


def test_what_if_limits_per_school_are_editable_and_explained():
    w = short_world()
    c = Client()
    c.force_login(w.users["county"])
    page = c.get(f"/county/370830/{YEAR}/plan/").content.decode()
    # the county's own schools are offered as schools that cannot build
    assert 'value="1370830001"' in page and "第1小学" in page
    base = {**vars_of(load_costs())}  # moves off: 第1小学 needs two hires, 240,000 元
    resp = c.get(f"/county/370830/{YEAR}/plan/", {**base, "max_per_school": 200_000})
    body = resp.content.decode()
    assert "在给定条件下资源配置仍不能达标" in body
    assert "每校投入上限20.00 万元限制了方案：不设上限时，本县达标需要24.00 万元" in body
    resp = c.get(f"/county/370830/{YEAR}/plan/", {**base, "max_per_school": 250_000})
    assert "测算投入 24.00 万元" in resp.content.decode()


def test_what_if_a_school_that_is_not_the_countys_is_refused():
    w = short_world()
    c = Client()
    c.force_login(w.users["county"])
    params = {**vars_of(load_costs()), "cannot_build": ["1410102001"]}
    body = c.get(f"/county/370830/{YEAR}/plan/", params).content.decode()
    assert "没有这所学校：1410102001" in body and "测算投入" not in body


def vars_of(costs):
    from junheng.web.planning.forms import FIELDS

    return {k: getattr(costs, k) for k in FIELDS}


__all__ = ["PASSWORD"]
