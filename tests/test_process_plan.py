"""Creation plans: target arithmetic, the plan table, the behind-plan list, progress."""

from __future__ import annotations

import pytest

from junheng.process.plan import (
    SHANDONG_TARGETS,
    CountyPlan,
    PlanError,
    behind_plan,
    check_year,
    plan_table,
    progress,
    target_count,
    targets_by_year,
)


def test_target_counts_round_up_to_whole_counties() -> None:
    # Shandong had 136 county-level units: 10% → 13.6 → 14; 30% → 40.8 → 41; 85% → 115.6 → 116
    assert target_count(136, 10) == 14
    assert target_count(136, 30) == 41
    assert target_count(136, 85) == 116
    # exact shares do not round up through float error: 30% of 10 is 3 (0.3*10 = 3.0000000000000004)
    assert target_count(10, 30) == 3
    assert target_count(20, 85) == 17
    assert target_count(0, 50) == 0


@pytest.mark.parametrize("share", [0, -5, 100.5, float("nan"), float("inf")])
def test_target_share_refused_outside_0_100(share: float) -> None:
    with pytest.raises(PlanError, match="目标占比应为大于0且不超过100的百分数"):
        target_count(10, share)


@pytest.mark.parametrize("year", [2020, 2031, 0, True])
def test_plan_year_outside_2021_2030_refused(year: int) -> None:
    with pytest.raises(PlanError, match="应为2021—2030年之间的年份"):
        check_year(year)


def plans() -> list[CountyPlan]:
    return [
        CountyPlan("370101", "历下区", "济南市", 2022, 2022, 2022, 2022, 2023),
        CountyPlan("370102", "市中区", "济南市", 2024, 2024, 2024),
        CountyPlan("370103", "槐荫区", "济南市", 2024),
        CountyPlan("370201", "市南区", "青岛市", 2023, 2023, 2023, 2023),
        CountyPlan("370202", "市北区", "青岛市", 2030),
        CountyPlan("370203", "李沧区", "青岛市", None),
    ]


def test_plan_table_city_rows_by_year_with_totals_and_cumulative_share() -> None:
    t = plan_table(plans())
    assert [r.city for r in t.rows] == ["济南市", "青岛市"]
    assert t.rows[0].cells[2024] == ["市中区", "槐荫区"]
    assert t.rows[0].cells[2021] == []
    assert t.rows[1].cells[2030] == ["市北区"]
    assert t.rows[1].unplanned == ["李沧区"]
    assert (t.rows[0].total, t.rows[1].total) == (3, 3)
    assert t.per_year[2022] == 1 and t.per_year[2023] == 1 and t.per_year[2024] == 2
    assert t.cumulative[2021] == 0
    assert t.cumulative[2024] == 4
    assert t.cumulative[2030] == 5
    assert t.share[2024] == pytest.approx(4 / 6)
    assert t.counties == 6


def test_behind_plan_lists_passed_years_not_recommended() -> None:
    # in 2025: 市中区 and 槐荫区 planned 2024 and not recommended; 市南区 was recommended,
    # 历下区 recognised; 市北区 plans 2030; 李沧区 has no plan
    assert [p.name for p in behind_plan(plans(), 2025)] == ["市中区", "槐荫区"]
    # in 2024 the year has not passed yet
    assert behind_plan(plans(), 2024) == []


def test_progress_cumulative_steps_against_shandong_target_line() -> None:
    p = progress(plans(), SHANDONG_TARGETS)
    assert p.planned[2023] == 2 and p.planned[2030] == 5
    assert p.self_evaluated[2024] == 3
    assert p.city_reviewed[2022] == 1 and p.city_reviewed[2024] == 3
    assert p.recommended[2023] == 2
    assert p.recognised[2022] == 0 and p.recognised[2023] == 1
    # 6 counties: 10% → 1 from 2022, 30% → 2 from 2025, 85% → 6 in 2030
    assert p.target == {2021: 0, 2022: 1, 2023: 1, 2024: 1, 2025: 2, 2026: 2,
                        2027: 2, 2028: 2, 2029: 2, 2030: 6}  # fmt: skip


def test_target_year_outside_the_plan_period_refused() -> None:
    with pytest.raises(PlanError, match="目标年度应为2021—2030年"):
        targets_by_year({2035: 100.0}, 10)
