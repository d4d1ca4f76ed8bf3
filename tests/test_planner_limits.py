"""达标测算 limits: a maximum per school, a giving school that must still pass, and why a plan
out of reach falls short (each limit in force lifted alone), all worked out by hand."""

from __future__ import annotations

import math
import re

import pytest

from conftest import primary_school
from junheng import evaluate, load_standard
from junheng.errors import JunhengError
from junheng.planner import load_costs, plan
from junheng.planner.apply import apply_additions
from junheng.planner.report import plan_dict
from junheng.reader import dataset_from_records

STD = load_standard("national-2017")
COUNTY = "370830"
NO_MOVES = load_costs().with_changes(allow_moves=False)


def _data(schools):
    return dataset_from_records(schools, None, STD)


def _short_two():
    """School 2: 34 qualified of 34 teachers for 1000 pupils; 36 reach 85% of 4.2: two hires."""
    return [
        primary_school(1),
        primary_school(2, p_teachers=34, p_qualified=34, certified=34, trained=34),
    ]


def _sports_spread():
    """30, 8 and 8 ㎡ per pupil at three schools of 1000: the weak two must reach 11.36 ㎡."""
    return [
        primary_school(1, sports_ground=30_000.0),
        primary_school(2, sports_ground=8_000.0),
        primary_school(3, sports_ground=8_000.0),
    ]


def _county(p):
    [county] = plan_dict(p)["counties"]
    return county


def _wan(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"([\d.]+) 万元", text)]


def test_max_per_school_above_the_need_changes_nothing():
    p = plan(_data(_short_two()), STD, NO_MOVES.with_changes(max_per_school=250_000))
    assert p.reached and p.total_cost() == 240_000


def test_max_per_school_below_the_need_says_it_binds_and_what_the_school_needs():
    p = plan(_data(_short_two()), STD, NO_MOVES.with_changes(max_per_school=200_000))
    assert not p.reached
    assert p.total_cost() == 0  # one hire alone leaves the school below 85%
    county = _county(p)
    assert county["still_failing"] == [
        "第2小学（小学）仍未达到“至少6项达标、其余不低于85%”（未达标：高学历教师）"
    ]
    assert county["why"] == [
        "每校投入上限20.00 万元限制了方案：不设上限时，本县达标需要24.00 万元，"
        "其中第2小学需24.00 万元"
    ]


def test_max_per_school_spreads_a_cv_lift_over_the_weak_schools():
    # each weak school needs 3360.4 ㎡ (1,680,200 元); a cap of 1,700,000 元 allows 3400 ㎡
    p = plan(_data(_sports_spread()), STD, load_costs().with_changes(max_per_school=1_700_000))
    assert p.reached
    add = p.additions["sports_ground"].to_list()
    assert add[0] == 0 and max(add) <= 3400
    exact = 2 * 1000 * ((60 * math.sqrt(2) - 30) / (2 + 2 * math.sqrt(2)) - 8)  # 6720.8 ㎡
    assert exact <= sum(add) <= exact * 1.01
    ev = evaluate(apply_additions(_data(_sports_spread()), p.additions), STD)
    assert ev.county(COUNTY).resource.passed is True


def test_max_per_school_too_low_for_a_cv_names_the_schools_over_it():
    p = plan(_data(_sports_spread()), STD, load_costs().with_changes(max_per_school=1_500_000))
    assert not p.reached
    [why] = _county(p)["why"]
    assert why.startswith("每校投入上限150.00 万元限制了方案：不设上限时，本县达标需要")
    need, *each = _wan(why)[1:]
    assert 336.04 <= need <= 336.04 * 1.01  # 6720.8 ㎡ at 500 元
    assert len(each) == 2 and all(x > 150 for x in each)
    assert "第2小学需" in why and "第3小学需" in why


def test_budget_below_the_need_says_what_full_compliance_costs():
    p = plan(_data(_short_two()), STD, NO_MOVES, budget=100_000)
    assert _county(p)["why"] == [
        "预算10.00 万元不足：不限预算时，本县达标需要24.00 万元",
        # two moved teachers at 15,000 元 each fit in the budget
        "未测算交流轮岗：允许县域内教师交流轮岗时，本县达标需要3.00 万元",
    ]


def test_schools_that_cannot_build_bind_and_a_lease_would_do():
    codes = frozenset(f"1{COUNTY}00{c}" for c in (1, 2, 3))
    p = plan(_data(_sports_spread()), STD, load_costs().with_changes(cannot_build=codes))
    assert not p.reached
    built, leased = _county(p)["why"]
    assert built.startswith(
        "不能新建的学校（第1小学、第2小学、第3小学）限制了方案：这些学校能新建时，本县达标需要"
    )
    assert 336.04 <= _wan(built)[0] <= 336.04 * 1.01
    assert leased.startswith("未允许租用场馆：允许以租用场馆计入体育运动场馆面积时，本县达标需要")
    assert 201.62 <= _wan(leased)[0] <= 201.62 * 1.01  # the same 6720.8 ㎡ at 300 元


def test_two_limits_that_bind_together_are_named_together():
    p = plan(_data(_short_two()), STD, NO_MOVES.with_changes(max_per_school=200_000),
             budget=100_000)  # fmt: skip
    # lifting the budget leaves the cap; lifting the cap leaves the budget; moves fit in both
    assert _county(p)["why"] == ["未测算交流轮岗：允许县域内教师交流轮岗时，本县达标需要3.00 万元"]
    costs = NO_MOVES.with_changes(max_per_school=200_000, allow_moves=False)
    data = _data([primary_school(1, p_qualified=42), *_short_two()[1:]])  # nothing to give
    p = plan(data, STD, costs, budget=100_000)
    assert _county(p)["why"] == [
        "单独放开任何一项限制（预算10.00 万元、每校投入上限20.00 万元、未测算交流轮岗）"
        "都不能使本县达标，须同时放宽"
    ]


def test_a_giving_school_keeps_its_own_standard():
    # school 1 has 45 qualified for 1000 pupils: 3 above 4.2 per 100, so it gives 3; school 2
    # (30 qualified of 30) needs 6 to reach 85%: 3 moved at 15,000 + 3 hired at 120,000
    schools = [primary_school(1, p_qualified=45),
               primary_school(2, p_teachers=30, p_qualified=30, certified=30, trained=30)]  # fmt: skip
    data = _data(schools)
    p = plan(data, STD, load_costs())
    assert p.reached and p.total_cost() == 3 * 15_000 + 3 * 120_000
    add = {r["code"]: r["p_qualified"] for r in p.additions.iter_rows(named=True)}
    assert add == {f"1{COUNTY}001": -3, f"1{COUNTY}002": 6}
    assert evaluate(apply_additions(data, p.additions), STD).county(COUNTY).resource.passed


@pytest.mark.parametrize("value", ["-1", "true", '"十万"', "inf"])
def test_costs_file_max_per_school_must_be_an_amount(tmp_path, value):
    f = tmp_path / "c.toml"
    f.write_text(f"[limits]\nmax_per_school = {value}\n", "utf-8")
    with pytest.raises(JunhengError, match="max_per_school 应为不小于 0 的金额"):
        load_costs(f)


def test_costs_file_max_per_school_is_read(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text("[limits]\nmax_per_school = 500000\n", "utf-8")
    assert load_costs(f).max_per_school == 500_000
    assert load_costs().max_per_school == 0
