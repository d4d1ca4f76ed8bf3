"""达标测算: small counties whose least-cost plan is worked out by hand."""

from __future__ import annotations

import math

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


def _data(schools):
    return dataset_from_records(schools, None, STD)


def _short_two():
    """School 2: 1000 pupils, 34 qualified teachers, all of them qualified (no upgrade possible).

    3.4 per 100 is below 85% of 4.2 (3.57), so it needs 36: two more. School 1 has 50
    qualified of 60 teachers and can give two and still meet 4.2.
    """
    return [
        primary_school(1),
        primary_school(2, p_teachers=34, p_qualified=34, certified=34, trained=34),
    ]


def _additions(p, code):
    return p.additions.filter(p.additions["code"] == code).to_dicts()[0]


def test_one_school_short_two_teachers_is_two_hires():
    costs = load_costs().with_changes(allow_moves=False)
    p = plan(_data(_short_two()), STD, costs)
    assert p.reached
    assert p.total_cost() == 2 * 120_000
    assert _additions(p, f"1{COUNTY}002")["p_qualified"] == 2
    assert _additions(p, f"1{COUNTY}001")["p_qualified"] == 0


def test_a_move_is_cheaper_than_a_hire():
    p = plan(_data(_short_two()), STD, load_costs())
    assert p.reached
    assert p.total_cost() == 2 * 15_000  # the move is counted once, at the receiving school
    assert _additions(p, f"1{COUNTY}002")["p_qualified"] == 2
    assert _additions(p, f"1{COUNTY}001")["p_qualified"] == -2
    d = plan_dict(p)
    giver = next(s for s in d["schools"] if s["code"] == f"1{COUNTY}001")
    assert "交流轮岗调出" in giver["text"] and "到第2小学" in giver["text"]


def test_upgrading_a_teacher_beats_hiring_when_there_are_teachers_to_upgrade():
    schools = [primary_school(1), primary_school(2, p_qualified=34)]  # 60 teachers, 34 qualified
    p = plan(_data(schools), STD, load_costs().with_changes(allow_moves=False))
    assert p.total_cost() == 2 * 20_000


def _sports_spread():
    """Three schools of 1000 pupils with 30, 8, 8 ㎡ of sports ground per pupil: CV 0.676."""
    return [
        primary_school(1, sports_ground=30_000.0),
        primary_school(2, sports_ground=8_000.0),
        primary_school(3, sports_ground=8_000.0),
    ]


def test_a_cv_falls_only_by_lifting_the_weakest_schools():
    # Lifting both weak schools to y: CV = √2(30 − y)/(30 + 2y) ≤ 0.5 gives
    # y ≥ (60√2 − 30)/(2 + 2√2) = 11.3604 ㎡ per pupil, 3360.4 ㎡ each at 500 元/㎡.
    y = (60 * math.sqrt(2) - 30) / (2 + 2 * math.sqrt(2))
    p = plan(_data(_sports_spread()), STD, load_costs())
    assert p.reached
    add = {c: _additions(p, f"1{COUNTY}00{c}")["sports_ground"] for c in (1, 2, 3)}
    assert add[1] == 0
    exact = 2 * 1000 * (y - 8)
    assert exact <= add[2] + add[3] <= exact + 12  # whole ㎡, a hair under the limit
    assert p.total_cost() == 500 * (add[2] + add[3])
    [county] = plan_dict(p)["counties"]
    sports = next(x for x in county["stages"][0]["cvs"] if x["indicator"] == "体育场馆")
    assert sports["before"] == pytest.approx(math.sqrt(2) * 22 / 46, abs=1e-9)  # 0.676
    assert sports["after"] <= 0.5


def test_applied_plan_passes_the_engine():
    data = _data([*_sports_spread(), primary_school(4, p_backbone=5, p_pe_art=5)])
    p = plan(data, STD, load_costs())
    ev = evaluate(apply_additions(data, p.additions), STD)
    assert ev.county(COUNTY).resource.passed is True
    assert evaluate(data, STD).county(COUNTY).resource.passed is False


def test_budget_too_small_gives_the_closest_plan_and_says_what_fails():
    p = plan(_data(_short_two()), STD, load_costs().with_changes(allow_moves=False), budget=100_000)
    assert not p.reached
    assert p.total_cost() == 0  # one teacher alone does not make the school pass
    [county] = plan_dict(p)["counties"]
    assert county["still_failing"] == [
        "第2小学（小学）仍未达到“至少6项达标、其余不低于85%”（未达标：高学历教师）"
    ]


def test_budget_enough_for_one_of_two_schools_lifts_that_one():
    schools = [
        *_short_two(),
        primary_school(3, p_teachers=34, p_qualified=34, certified=34, trained=34),
    ]
    costs = load_costs().with_changes(allow_moves=False)
    p = plan(_data(schools), STD, costs, budget=300_000)
    assert not p.reached
    assert p.total_cost() == 240_000
    assert len(plan_dict(p)["counties"][0]["still_failing"]) == 1


def test_schools_that_cannot_build_leave_the_cv_failing_with_a_reason():
    codes = frozenset(f"1{COUNTY}00{c}" for c in (1, 2, 3))
    p = plan(_data(_sports_spread()), STD, load_costs().with_changes(cannot_build=codes))
    assert not p.reached
    [county] = plan_dict(p)["counties"]
    assert county["still_failing"] == ["小学“生均体育运动场馆面积”差异系数0.676，仍高于0.500"]


def test_nothing_to_do_costs_nothing():
    p = plan(_data([primary_school(1), primary_school(2, 800)]), STD, load_costs())
    assert p.reached and p.total_cost() == 0 and plan_dict(p)["schools"] == []


def test_unknown_county_and_bad_budget_are_refused_in_chinese():
    data = _data(_short_two())
    with pytest.raises(JunhengError, match="数据中没有区县代码 999999"):
        plan(data, STD, load_costs(), counties=["999999"])
    with pytest.raises(JunhengError, match="预算应为不小于 0 的金额"):
        plan(data, STD, load_costs(), budget=-1)


def test_costs_file_overlays_the_defaults(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text("[teachers]\nhire_qualified = 90000\n[limits]\nallow_moves = false\n", "utf-8")
    c = load_costs(f)
    assert (c.hire_qualified, c.hire_pe_art, c.allow_moves) == (90_000, 120_000, False)
    p = plan(_data(_short_two()), STD, c)
    assert p.total_cost() == 2 * 90_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[teachers]\nhire_qualified = -1\n", "hire_qualified 应为不小于 0 的数值"),
        ("[teachers]\nhire_teacher = 1\n", "[teachers] 中没有 hire_teacher 这一项"),
        ("[money]\nx = 1\n", "未知的节 [money]"),
        ("[teachers\n", "不是有效的 TOML"),
        ("[limits]\ncannot_build = 3\n", "cannot_build 应为学校标识码列表"),
    ],
)
def test_bad_costs_file_is_refused_in_chinese(tmp_path, text, message):
    f = tmp_path / "c.toml"
    f.write_text(text, "utf-8")
    with pytest.raises(JunhengError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_costs(f)
