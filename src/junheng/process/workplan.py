"""A county's work plan (实施方案): phases over a date range, tasks with deadlines, local targets.

Two published plans serve as presets: 汶上县 (four phases) and 陵川县 (six phases). A task is
overdue from the day after its deadline until it is done. A local target is tracked each year
against the county's 区县 data where the data has the figure, otherwise against a figure the
county enters by hand. Comparisons are exact (fractions), so 100 of 1000 teachers meets 10%.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from ..errors import JunhengError


class WorkPlanError(JunhengError):
    """A work plan, task or target was refused; the message says what was expected."""


PRESETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "wenshang": ("汶上县方案（四个阶段）", ("制定规划", "组织实施", "评估整改", "总结提升")),
    "lingchuan": (
        "陵川县方案（六个阶段）",
        ("宣传发动", "自查自评", "整改提升", "全力推进", "查缺补漏", "巩固迎检"),
    ),
}


@dataclass(frozen=True, slots=True)
class PhaseSpan:
    name: str
    start: date
    end: date


def preset_phases(preset: str, start: date, end: date) -> list[PhaseSpan]:
    """The preset's phases, splitting ``start``–``end`` (both inclusive) into near-equal spans."""
    if preset not in PRESETS:
        raise WorkPlanError(f"没有名为“{preset}”的方案模板，可选：{'、'.join(PRESETS)}")
    names = PRESETS[preset][1]
    check_range(start, end, "实施方案")
    days = (end - start).days + 1
    if days < len(names):
        raise WorkPlanError(f"实施期限只有{days}天，不够分为{len(names)}个阶段")
    cut = [start + timedelta(days=days * i // len(names)) for i in range(len(names) + 1)]
    return [PhaseSpan(n, cut[i], cut[i + 1] - timedelta(days=1)) for i, n in enumerate(names)]


def check_range(start: date | None, end: date | None, what: str) -> None:
    if start is None or end is None:
        raise WorkPlanError(f"{what}须填写起止日期")
    if end < start:
        raise WorkPlanError(f"{what}的结束日期（{end:%Y-%m-%d}）早于开始日期（{start:%Y-%m-%d}）")


class TaskStatus(StrEnum):
    NOT_STARTED = "未开始"
    DOING = "进行中"
    DONE = "已完成"


def check_progress(progress: object) -> int:
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise WorkPlanError(f"完成进度应为0—100之间的整数（百分比），填写的是“{progress}”")
    return progress


def status_for(progress: int) -> TaskStatus:
    """The status a percentage implies: 0 not started, 100 done, anything between in progress."""
    check_progress(progress)
    if progress == 100:
        return TaskStatus.DONE
    return TaskStatus.NOT_STARTED if progress == 0 else TaskStatus.DOING


def overdue_days(deadline: date | None, progress: int, today: date) -> int:
    """Days past the deadline of an unfinished task; 0 on the deadline day itself and before."""
    if deadline is None or progress >= 100 or today <= deadline:
        return 0
    return (today - deadline).days


def task_order(deadline: date | None, progress: int, today: date) -> tuple[int, int, date]:
    """Sort key: overdue tasks first (longest overdue on top), then open ones by deadline, done last."""
    late = overdue_days(deadline, progress, today)
    done = progress >= 100
    return (2 if done else 0 if late else 1, -late, deadline or date.max)


# --- local targets ---------------------------------------------------------------------------

Row = Mapping[str, Any]


def _ratio(num: str, *dens: str) -> Callable[[Row], Fraction | None]:
    def measure(row: Row) -> Fraction | None:
        den_values = [row.get(d) for d in dens]
        n = row.get(num)
        if n is None or any(v is None for v in den_values):
            return None
        den = sum(Fraction(str(v)) for v in den_values)
        return Fraction(str(n)) * 100 / den if den > 0 else None

    return measure


def _points(key: str) -> Callable[[Row], Fraction | None]:
    def measure(row: Row) -> Fraction | None:
        v = row.get(key)
        return None if v is None else Fraction(str(v))

    return measure


def _sum_ratio(nums: tuple[str, ...], den: str) -> Callable[[Row], Fraction | None]:
    def measure(row: Row) -> Fraction | None:
        values = [row.get(k) for k in (*nums, den)]
        if any(v is None for v in values):
            return None
        d = Fraction(str(values[-1]))
        return sum(Fraction(str(v)) for v in values[:-1]) * 100 / d if d > 0 else None

    return measure


@dataclass(frozen=True, slots=True)
class Metric:
    label: str
    source: str
    measure: Callable[[Row], Fraction | None]


# figures the 区县 sheet carries (data-contract.md); anything else is entered by hand
METRICS: dict[str, Metric] = {
    "rotation": Metric("交流轮岗教师比例（%）", "交流轮岗教师数 ÷ 符合交流条件教师数",
                       _ratio("rotated", "rotation_eligible")),
    "rotation_backbone": Metric("交流轮岗骨干教师比例（%）", "交流轮岗骨干教师数 ÷ 交流轮岗教师数",
                                _ratio("rotated_backbone", "rotated")),
    "nearby_primary": Metric("小学就近划片入学比例（%）", "区县数据", _points("nearby_primary")),
    "nearby_junior": Metric("初中就近划片入学比例（%）", "区县数据", _points("nearby_junior")),
    "quota": Metric("优质高中招生名额分配比例（%）", "分配名额数 ÷ 优质高中招生名额总数",
                    _ratio("quota_allocated", "quota_total")),
    "migrant": Metric("随迁子女在公办学校和政府购买服务学校就读比例（%）",
                      "（公办 + 政府购买服务）÷ 符合条件随迁子女数",
                      _sum_ratio(("migrant_public", "migrant_funded"), "migrant_eligible")),
    "disabled": Metric("残疾儿童少年入学率（%）", "残疾儿童少年入学数 ÷ 适龄残疾儿童少年数",
                       _ratio("disabled_enrolled", "disabled_children")),
}  # fmt: skip
MANUAL = "manual"
"""A target whose figure is not in the data: the county enters it each year."""

OPS = {"ge": "≥", "le": "≤"}


def check_target(metric: str, op: str, threshold: object) -> Fraction:
    if metric != MANUAL and metric not in METRICS:
        raise WorkPlanError(f"没有名为“{metric}”的数据指标")
    if op not in OPS:
        raise WorkPlanError(f"比较方式应为“≥”或“≤”，填写的是“{op}”")
    try:
        value = Fraction(Decimal(str(threshold)))
    except (ArithmeticError, ValueError):
        raise WorkPlanError(f"目标值应为数字，填写的是“{threshold}”") from None
    if not 0 <= value <= 100:
        raise WorkPlanError(f"目标值应为0—100之间的百分数，填写的是“{threshold}”")
    return value


@dataclass(frozen=True, slots=True)
class TargetCheck:
    """One year's standing of a target: the figure (percent), where it came from, met or not."""

    year: int
    value: Fraction | None
    source: str  # "数据" / "填报" / "" (no figure)
    met: bool | None


def judge(value: Fraction | None, op: str, threshold: object) -> bool | None:
    if value is None:
        return None
    limit = check_target(MANUAL, op, threshold)
    return value >= limit if op == "ge" else value <= limit


def track(
    metric: str,
    op: str,
    threshold: object,
    data: Mapping[int, Row],
    manual: Mapping[int, object],
) -> list[TargetCheck]:
    """One check per year that has county data or a hand-entered figure, oldest first.

    A data metric reads the year's 区县 row; where that row lacks the figure a hand-entered
    one stands in. A manual target reads only what was entered."""
    check_target(metric, op, threshold)
    out = []
    for year in sorted(set(data) | set(manual)):
        value: Fraction | None = None
        source = ""
        if metric != MANUAL and year in data:
            value = METRICS[metric].measure(data[year])
            source = "数据" if value is not None else ""
        if value is None and manual.get(year) is not None:
            value, source = Fraction(Decimal(str(manual[year]))), "填报"
        out.append(TargetCheck(year, value, source, judge(value, op, threshold)))
    return out
