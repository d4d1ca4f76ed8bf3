"""The work plan's core: preset phases over a date range, overdue tasks, targets against data."""

from __future__ import annotations

import itertools
from datetime import date
from fractions import Fraction

import pytest

from junheng.process.workplan import (
    MANUAL,
    TaskStatus,
    WorkPlanError,
    check_progress,
    check_target,
    overdue_days,
    preset_phases,
    status_for,
    task_order,
    track,
)


def test_wenshang_preset_splits_a_school_year_into_four_phases() -> None:
    # 2025-09-01..2026-08-31 is 365 days: cuts at days 0, 91, 182, 273
    spans = preset_phases("wenshang", date(2025, 9, 1), date(2026, 8, 31))
    assert [(p.name, p.start, p.end) for p in spans] == [
        ("制定规划", date(2025, 9, 1), date(2025, 11, 30)),
        ("组织实施", date(2025, 12, 1), date(2026, 3, 1)),
        ("评估整改", date(2026, 3, 2), date(2026, 5, 31)),
        ("总结提升", date(2026, 6, 1), date(2026, 8, 31)),
    ]


def test_lingchuan_preset_has_six_phases_in_order_without_gaps() -> None:
    spans = preset_phases("lingchuan", date(2026, 1, 1), date(2026, 6, 30))
    assert [p.name for p in spans] == [
        "宣传发动", "自查自评", "整改提升", "全力推进", "查缺补漏", "巩固迎检"
    ]  # fmt: skip
    assert spans[0].start == date(2026, 1, 1) and spans[-1].end == date(2026, 6, 30)
    assert all((b.start - a.end).days == 1 for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize(
    ("preset", "start", "end", "message"),
    [
        ("nowhere", date(2026, 1, 1), date(2026, 12, 31), "没有名为“nowhere”的方案模板"),
        ("wenshang", date(2026, 5, 1), date(2026, 4, 30), "结束日期（2026-04-30）早于开始日期"),
        ("lingchuan", date(2026, 1, 1), date(2026, 1, 5), "只有5天，不够分为6个阶段"),
    ],
)
def test_bad_plan_ranges_are_refused(preset: str, start: date, end: date, message: str) -> None:
    with pytest.raises(WorkPlanError, match=message):
        preset_phases(preset, start, end)


def test_a_task_is_overdue_from_the_day_after_its_deadline() -> None:
    deadline = date(2026, 6, 30)
    assert overdue_days(deadline, 50, date(2026, 6, 29)) == 0  # just before
    assert overdue_days(deadline, 50, date(2026, 6, 30)) == 0  # on the day
    assert overdue_days(deadline, 50, date(2026, 7, 1)) == 1  # just after
    assert overdue_days(deadline, 99, date(2026, 8, 9)) == 40
    assert overdue_days(deadline, 100, date(2026, 8, 9)) == 0  # done is never overdue
    assert overdue_days(None, 0, date(2026, 8, 9)) == 0


def test_overdue_tasks_sort_first_longest_overdue_on_top_done_last() -> None:
    today = date(2026, 7, 10)
    tasks = {
        "done late": (date(2026, 1, 1), 100),
        "due soon": (date(2026, 7, 20), 10),
        "late 9 days": (date(2026, 7, 1), 30),
        "late 40 days": (date(2026, 5, 31), 0),
        "due today": (date(2026, 7, 10), 0),
    }
    order = sorted(tasks, key=lambda k: task_order(*tasks[k], today))
    assert order == ["late 40 days", "late 9 days", "due today", "due soon", "done late"]


def test_progress_sets_the_status_and_bad_progress_is_refused() -> None:
    assert [status_for(p) for p in (0, 1, 99, 100)] == [
        TaskStatus.NOT_STARTED, TaskStatus.DOING, TaskStatus.DOING, TaskStatus.DONE
    ]  # fmt: skip
    for bad in (-1, 101, True, "50", 12.5):
        with pytest.raises(WorkPlanError, match="完成进度应为0—100之间的整数"):
            check_progress(bad)


def test_rotation_target_tracked_each_year_from_the_county_data() -> None:
    data = {
        2025: {"rotated": 99, "rotation_eligible": 1000},  # 9.9%
        2026: {"rotated": 100, "rotation_eligible": 1000},  # exactly 10%
        2027: {"rotated": None, "rotation_eligible": 1000},  # not filled in
    }
    checks = track("rotation", "ge", "10", data, {2027: "12.5"})
    assert [(c.year, c.value, c.source, c.met) for c in checks] == [
        (2025, Fraction(99, 10), "数据", False),
        (2026, Fraction(10), "数据", True),
        (2027, Fraction(25, 2), "填报", True),  # the data lacks it: the entered figure stands in
    ]


def test_manual_targets_read_only_what_was_entered() -> None:
    data = {2026: {"rotated": 100, "rotation_eligible": 1000}}
    checks = track(MANUAL, "ge", 55, data, {2025: "54.9", 2026: "55"})
    assert [(c.year, c.met, c.source) for c in checks] == [
        (2025, False, "填报"),
        (2026, True, "填报"),
    ]
    # a year with data but no entry: no figure, no verdict
    assert [(c.year, c.value, c.met) for c in track(MANUAL, "ge", 55, data, {})] == [
        (2026, None, None)
    ]


def test_other_data_metrics_and_upper_limits() -> None:
    row = {"migrant_public": 800, "migrant_funded": 50, "migrant_eligible": 1000,
           "rotated": 0, "rotation_eligible": 0, "rotated_backbone": 5, "nearby_primary": 98.5}  # fmt: skip
    assert track("migrant", "ge", 85, {2026: row}, {})[0].value == Fraction(85)
    assert track("migrant", "ge", 85, {2026: row}, {})[0].met is True
    assert track("rotation", "ge", 10, {2026: row}, {})[0].met is None  # 0 eligible: no ratio
    assert track("nearby_primary", "le", 98, {2026: row}, {})[0].met is False
    assert track("nearby_primary", "ge", "98.5", {2026: row}, {})[0].met is True


@pytest.mark.parametrize(
    ("metric", "op", "threshold", "message"),
    [
        ("height", "ge", 10, "没有名为“height”的数据指标"),
        ("rotation", "gt", 10, "比较方式应为“≥”或“≤”"),
        ("rotation", "ge", "十", "目标值应为数字"),
        ("rotation", "ge", 120, "目标值应为0—100之间的百分数"),
        ("rotation", "ge", "nan", "目标值应为数字"),
        ("rotation", "ge", "inf", "目标值应为数字"),
        ("rotation", "ge", -1, "目标值应为0—100之间的百分数"),
    ],
)
def test_bad_targets_are_refused(metric: str, op: str, threshold: object, message: str) -> None:
    with pytest.raises(WorkPlanError, match=message):
        check_target(metric, op, threshold)
