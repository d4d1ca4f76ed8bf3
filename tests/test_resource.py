"""资源配置: values, the 6-of-7 + 85% rule, stage splitting, weighted CVs and gaps.

Every expected number is worked out by hand in the comment next to it.
"""

from __future__ import annotations

import math

import pytest

from conftest import junior_school, primary_school, run


def _school(ev, code, stage="primary"):
    return next(s for s in ev.counties[0].resource.schools if s.code == code and s.stage == stage)


def test_floor_is_85_percent_of_the_standard():
    from junheng import load_standard

    std = load_standard()
    floor = std.settings["floor_share"]
    assert floor * std.threshold("qualified_teachers", "primary") == pytest.approx(3.57)
    assert floor * std.threshold("qualified_teachers", "junior") == pytest.approx(4.505)
    assert floor * std.threshold("sports_area", "junior") == pytest.approx(8.67)
    assert floor * std.threshold("equipment_value", "primary") == pytest.approx(1700)


@pytest.mark.parametrize(
    ("qualified", "met", "passed"),
    [
        (420, 7, True),  # 420/10000×100 = 4.20: meets 4.2 exactly
        (419, 6, True),  # 4.19: misses one, above the 3.57 floor → 6 of 7 passes
        (357, 6, True),  # 3.57: exactly the 85% floor still passes
        (356, 6, False),  # 3.56 < 3.57: below the floor fails although 6 are met
    ],
)
def test_primary_qualified_teachers_at_standard_and_floor(qualified, met, passed):
    ev = run([primary_school(1, 10000, p_qualified=qualified)])
    s = _school(ev, "1370830001")
    assert s.values["qualified_teachers"] == pytest.approx(qualified / 100)
    assert (s.met, s.passed) == (met, passed)


@pytest.mark.parametrize(("qualified", "passed"), [(4505, True), (4504, False)])
def test_junior_floor_is_4_505(qualified, passed):
    # 100 000 pupils: 4505 teachers → 4.505 = 0.85 × 5.3; 4504 → 4.504 below it
    ev = run([junior_school(101, 100000, j_qualified=qualified, j_teachers=8000)])
    assert _school(ev, "1370830101", "junior").passed is passed


def test_two_indicators_missed_fails_even_above_floor():
    # backbone 0.95 and pe_art 0.85 both ≥ 85% floors (0.85, 0.765) but only 5 of 7 met
    ev = run([primary_school(1, 2000, p_backbone=19, p_pe_art=17)])
    s = _school(ev, "1370830001")
    assert s.met == 5
    assert s.passed is False
    assert s.below_standard == ["backbone_teachers", "pe_art_teachers"]
    assert s.below_floor == []


def test_nine_year_school_is_split_by_weighted_pupils():
    # 600 primary + 400 junior pupils: weighted 600 + 1.1×400 = 1040.
    # teaching area (6000 − 500 indoor) = 5500 → primary 5500×600/1040/600 = 5.2885 m²,
    # junior 5500×440/1040/400 = 5.8173 m². Sports (9000 + 500) → 9.1346 / 10.0481 m².
    # Equipment 250万 → 2 500 000/1040 = 2403.85 元 primary, ×1.1 = 2644.23 元 junior.
    # 25 rooms → 25/1040×100 = 2.4038 primary, 2.6442 junior.
    school = dict(
        code="1370830201", name="实验学校", county_code="370830", county_name="汶上县",
        type="九年一贯制", p_students=600, j_students=400, p_classes=14, j_classes=9,
        p_teachers=40, j_teachers=30, p_qualified=30, j_qualified=25, p_backbone=6,
        j_backbone=5, p_pe_art=6, j_pe_art=4, teach_area=6000, indoor_sports=500,
        sports_ground=9000, equipment=250, mm_rooms=25,
    )  # fmt: skip
    ev = run([school])
    p = _school(ev, "1370830201", "primary").values
    j = _school(ev, "1370830201", "junior").values
    assert p["teaching_area"] == pytest.approx(5500 / 1040)
    assert j["teaching_area"] == pytest.approx(5500 * 1.1 / 1040)
    assert p["sports_area"] == pytest.approx(9.134615, rel=1e-6)
    assert j["sports_area"] == pytest.approx(10.048077, rel=1e-6)
    assert p["equipment_value"] == pytest.approx(2403.846, rel=1e-6)
    assert j["equipment_value"] == pytest.approx(2644.231, rel=1e-6)
    assert p["multimedia_rooms"] == pytest.approx(2.403846, rel=1e-6)
    # teachers are by stage, not split: 30/600×100 = 5.0 and 25/400×100 = 6.25
    assert p["qualified_teachers"] == pytest.approx(5.0)
    assert j["qualified_teachers"] == pytest.approx(6.25)
    stages = ev.counties[0].resource.stages
    assert stages["primary"].schools == 1 and stages["junior"].schools == 1


def test_complete_middle_school_counts_its_junior_part_only():
    # 500 junior + 600 senior: weighted 550 + 792 = 1342; junior per pupil area =
    # 6000 × 550/1342 / 500 = 4.918 m² (junior : senior per pupil = 1 : 1.2)
    school = junior_school(301, 500, type="完全中学", s_students=600, teach_area=6000)
    ev = run([school])
    stages = ev.counties[0].resource.stages
    assert set(stages) == {"junior"}
    assert _school(ev, "1370830301", "junior").values["teaching_area"] == pytest.approx(
        6000 * 550 / 1342 / 500
    )


def test_twelve_year_school_weights_1_1_1_1_32():
    # 300 + 300 + 300 pupils: weighted 300 + 330 + 396 = 1026; primary area = 10 260 m² ×
    # 300/1026 / 300 = 10 m²; junior 11 m²
    school = dict(
        code="1370830401", name="十二年制", county_code="370830", county_name="汶上县",
        type="十二年一贯制学校", p_students=300, j_students=300, s_students=300, p_classes=8,
        j_classes=7, p_teachers=20, j_teachers=25, p_qualified=15, j_qualified=18, p_backbone=4,
        j_backbone=4, p_pe_art=4, j_pe_art=4, teach_area=10260, sports_ground=20000,
        equipment=300, mm_rooms=30,
    )  # fmt: skip
    ev = run([school])
    assert _school(ev, "1370830401").values["teaching_area"] == pytest.approx(10.0)
    assert _school(ev, "1370830401", "junior").values["teaching_area"] == pytest.approx(11.0)


@pytest.mark.parametrize(("pupils", "counted"), [(49, False), (50, True)])
def test_teaching_point_below_50_pupils_is_left_out(pupils, counted):
    point = primary_school(9, pupils, type="教学点", p_classes=3)
    ev = run([primary_school(1), point])
    res = ev.counties[0].resource
    assert res.stages["primary"].schools == (2 if counted else 1)
    assert any(e["code"] == "1370830009" for e in res.excluded) is not counted


def test_special_school_is_not_in_the_resource_part():
    special = dict(
        code="1370830501", name="特殊教育学校", county_code="370830", county_name="汶上县",
        type="特殊教育", p_students=80, j_students=40,
    )  # fmt: skip
    ev = run([primary_school(1), special])
    assert ev.counties[0].resource.stages["primary"].schools == 1


def _sports_county(values_and_pupils):
    return [
        primary_school(i, p, sports_ground=x * p)
        for i, (x, p) in enumerate(values_and_pupils, start=1)
    ]


def test_weighted_cv_fails_where_the_unweighted_one_would_pass():
    # X = 7.8 m² for 2000 pupils and 30 m² for four schools of 100.
    # weighted mean = (15600 + 12000)/2400 = 11.5; Σ P(X − 11.5)² = 2000×13.69 + 400×342.25
    # = 27380 + 136900 = 164280; S = √(164280/2400) = 8.2735; CV = 0.7194 > 0.50 → fails.
    # unweighted: mean 25.56, population S = 8.88, CV = 0.347 → would pass.
    ev = run(_sports_county([(7.8, 2000), (30, 100), (30, 100), (30, 100), (30, 100)]))
    st = ev.counties[0].resource.stages["primary"]
    assert st.mean["sports_area"] == pytest.approx(11.5)
    assert st.cv["sports_area"] == pytest.approx(math.sqrt(164280 / 2400) / 11.5)
    assert st.cv["sports_area"] == pytest.approx(0.71944, abs=1e-5)
    assert st.cv_pass["sports_area"] is False
    xs = [7.8, 30, 30, 30, 30]
    mean = sum(xs) / 5
    unweighted = math.sqrt(sum((x - mean) ** 2 for x in xs) / 5) / mean
    assert unweighted < 0.50
    c = ev.counties[0]
    assert c.resource.passed is False
    assert any("生均体育运动场馆面积" in r and "0.719" in r for r in c.reasons)
    # share of Σ P(X − X̄)²: each small school 100×342.25 = 34225 → 20.8%; the big one 16.7%
    drivers = st.drivers["sports_area"]
    assert drivers[0].share == pytest.approx(34225 / 164280)
    assert {d.code for d in drivers} <= {f"1370830{i:03d}" for i in range(1, 6)}


def test_cv_is_zero_for_one_school_and_passes_at_the_limit():
    ev = run([primary_school(1)])
    assert ev.counties[0].resource.stages["primary"].cv["sports_area"] == 0.0


def test_gap_in_teachers_metres_yuan_and_rooms():
    # 500 pupils, 18 qualified → 3.6/100; standard 4.2 → needs 21: 3 short; floor 3.57 → 17.85: 0
    # sports 3000 m² → 6 m²/pupil; standard 7.5 → 3750: 750 m² short; floor 6.375 → 187.5 m²
    # equipment 80万 → 1600 元; standard 2000 → 200 000 元 short; floor 1700 → 50 000 元
    # rooms 10 → 2.0/100; standard 2.3 → 11.5 rooms: 2 short (ceil 1.5); floor 1.955 → 0
    s = primary_school(1, 500, p_qualified=18, sports_ground=3000, equipment=80, mm_rooms=10)
    ev = run([s])
    gaps = {g.indicator: g for g in _school(ev, "1370830001").gaps}
    assert (gaps["qualified_teachers"].to_standard, gaps["qualified_teachers"].to_floor) == (3, 0)
    assert gaps["sports_area"].to_standard == pytest.approx(750)
    assert gaps["sports_area"].to_floor == pytest.approx(187.5)
    assert gaps["equipment_value"].to_standard == pytest.approx(200_000)
    assert gaps["equipment_value"].to_floor == pytest.approx(50_000)
    assert gaps["multimedia_rooms"].to_standard == 2
    assert gaps["multimedia_rooms"].to_floor == 0


def test_no_driver_is_named_when_every_school_has_the_same_value():
    # no backbone teachers anywhere: mean 0, CV undefined (fails), but no school "pulls it up"
    ev = run([primary_school(1, p_backbone=0), primary_school(2, 800, p_backbone=0)])
    st = ev.counties[0].resource.stages["primary"]
    assert st.cv["backbone_teachers"] is None
    assert st.cv_pass["backbone_teachers"] is False
    assert "backbone_teachers" not in st.drivers
    assert any("无法计算（全县均值为0）" in r for r in ev.counties[0].reasons)
