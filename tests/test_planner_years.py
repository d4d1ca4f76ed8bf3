"""达标测算 spread over years: cheapest measures first, whole measures per year, totals."""

from __future__ import annotations

import json

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import county_row, primary_school
from junheng.cli import app
from junheng.errors import JunhengError
from junheng.planner import load_costs
from junheng.planner.years import schedule
from junheng.workbook import write_workbook


def _act(code: str, action: str, cost: float, qty: float = 1.0) -> dict[str, object]:
    return {"county_code": "370830", "code": code, "name": f"学校{code}", "stage": "小学",
            "action": action, "title": action, "unit": "人", "quantity": qty, "cost": cost}  # fmt: skip


ACTS = [_act("A", "hire_qualified", 100.0), _act("B", "hire_qualified", 300.0),
        _act("C", "teaching_area", 200.0, 10.0)]  # fmt: skip


def test_even_split_takes_the_cheapest_schools_first():
    # 600 元 over 2 years: 300 a year; A (100) and C (200) fill year 1, B (300) year 2
    sc = schedule(ACTS, 2)
    assert sc.per_year == 300.0
    assert {a["code"]: a["year"] for a in sc.items} == {"A": 1, "C": 1, "B": 2}
    assert [(y["year"], y["cost"], y["measures"]) for y in sc.by_year] == [
        (1, 300.0, 2),
        (2, 300.0, 1),
    ]
    assert sc.overflow == 0.0
    assert [(k["year"], k["action"], k["quantity"], k["cost"]) for k in sc.by_kind] == [
        (1, "hire_qualified", 1.0, 100.0), (1, "teaching_area", 10.0, 200.0),
        (2, "hire_qualified", 1.0, 300.0),
    ]  # fmt: skip


def test_a_yearly_budget_too_small_says_which_years_are_over():
    # 150 a year: A (100) in year 1; C (200) alone in year 2, 50 over; B (300) year 3, 150 over
    sc = schedule(ACTS, 3, per_year=150.0)
    assert [y["cost"] for y in sc.by_year] == [100.0, 200.0, 300.0]
    assert [y["over"] for y in sc.by_year] == [False, True, True]
    assert sc.overflow == 200.0


def test_the_last_year_takes_what_the_years_given_leave():
    sc = schedule(ACTS, 1, per_year=150.0)
    assert [y["cost"] for y in sc.by_year] == [600.0]
    assert sc.overflow == 450.0


def test_a_move_is_scheduled_with_its_partner_school():
    # the receiving school pays 15000, the giving school nothing: both in the same year
    acts = [*ACTS, _act("D", "in_qualified", 15_000.0), _act("E", "out_qualified", 0.0)]
    sc = schedule(acts, 2)
    years = {a["code"]: a["year"] for a in sc.items}
    assert years["D"] == years["E"] == 2
    assert sum(y["cost"] for y in sc.by_year) == 15_600.0


@pytest.mark.parametrize(("years", "per_year"), [(0, None), (2, 0.0), (2, -5.0),
                                                 (2, float("nan")), (True, None)])  # fmt: skip
def test_bad_years_or_budget_is_refused_in_chinese(years, per_year):
    with pytest.raises(JunhengError, match=r"年数|预算"):
        schedule(ACTS, years, per_year)


def _book(tmp_path):
    # school 2: 34 qualified teachers for 1000 pupils, 2 more hires (24 万元) make 3.6 ≥ 3.57;
    # school 3 the same
    schools = [primary_school(1), primary_school(2, 1000, p_teachers=34, p_qualified=34,
                                                  certified=34, trained=34),
               primary_school(3, 1000, p_teachers=34, p_qualified=34, certified=34, trained=34)]  # fmt: skip
    f = tmp_path / "costs.toml"
    f.write_text("[limits]\nallow_moves = false\n", "utf-8")
    return write_workbook(tmp_path / "in.xlsx", schools, [county_row()]), str(f)


def test_cli_year_budget_puts_one_school_a_year(tmp_path):
    book, costs = _book(tmp_path)
    r = CliRunner().invoke(app, ["plan", str(book), "-f", "json", "--costs", costs,
                                 "--year-budget", "250000"])  # fmt: skip
    assert r.exit_code == 0, r.output
    sc = json.loads(r.stdout)["schedule"]
    # 2 × 24 万元 at 25 万元 a year: one school each year, two years
    assert sc["years"] == 2
    assert [y["cost"] for y in sc["by_year"]] == [240_000.0, 240_000.0]
    assert [(k["year"], k["quantity"]) for k in sc["by_kind"]] == [(1, 2.0), (2, 2.0)]


def test_cli_years_writes_the_yearly_sheets(tmp_path):
    book, costs = _book(tmp_path)
    out = tmp_path / "plan.xlsx"
    r = CliRunner().invoke(app, ["plan", str(book), "-f", "xlsx", "-o", str(out), "--costs", costs,
                                 "--years", "2"])  # fmt: skip
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out)
    rows = list(wb["分年度投入"].iter_rows(values_only=True))
    assert rows[0] == ("年度", "措施", "数量", "单位", "金额（元）")
    assert ("第1年", "小计", None, None, 240_000) in rows
    assert ("第2年", "小计", None, None, 240_000) in rows
    years = [r[0] for r in wb["分年度措施"].iter_rows(min_row=2, values_only=True)]
    assert sorted(years) == ["第1年", "第2年"]


def test_cli_years_table_prints_the_totals_by_year(tmp_path):
    book, costs = _book(tmp_path)
    r = CliRunner().invoke(app, ["plan", str(book), "--costs", costs, "--years", "2"])
    assert r.exit_code == 0, r.output
    assert "分年度投入" in r.stdout and "第2年" in r.stdout and "24.00 万元" in r.stdout


@pytest.mark.django_db
def test_web_page_spreads_the_plan_over_the_years_asked():
    from django.test import Client

    from test_planner_web import short_world, vars_of
    from webfixtures import YEAR

    w = short_world()
    c = Client()
    c.force_login(w.users["county"])
    params = {**vars_of(load_costs()),
              "allow_moves": "on", "years": 2}  # fmt: skip
    body = c.get(f"/county/370830/{YEAR}/plan/", params).content.decode()
    # one measure (the county's moves, 3.00 万元) in year 1; year 2 empty
    assert "分年度投入（2年，先易后难）" in body
    assert body.count("<th>小计</th>") == 2
    bad = c.get(f"/county/370830/{YEAR}/plan/", {**params, "years": 0}).content.decode()
    assert "至少 1 年" in bad and "分年度投入" not in bad
