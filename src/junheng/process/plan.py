"""Creation plans (创建规划表) against a province's targets.

A province aims at a share of its counties recognised by a year; each city files, per county,
the year it plans to apply. Counts are whole counties: a 30% target of 137 counties is
ceil(41.1) = 42, computed in exact decimals so 30% of 10 is 3, not 4.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ..errors import JunhengError

FIRST_YEAR = 2021
LAST_YEAR = 2030
YEARS: tuple[int, ...] = tuple(range(FIRST_YEAR, LAST_YEAR + 1))

SHANDONG_TARGETS: dict[int, float] = {2022: 10.0, 2025: 30.0, 2030: 85.0}
"""山东省：2022年10%、2025年30%、2030年85%以上（力争100%）的县域通过国家认定."""


class PlanError(JunhengError):
    """A plan or a target was refused; the message says what was expected."""


def check_year(year: int, what: str = "规划申报年度") -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise PlanError(f"{what}应为{FIRST_YEAR}—{LAST_YEAR}年之间的年份，填写的是“{year}”")
    return year


def check_share(share: float) -> float:
    if not math.isfinite(share) or not 0 < share <= 100:
        raise PlanError(f"目标占比应为大于0且不超过100的百分数，填写的是“{share}”")
    return share


def target_count(total: int, share: float) -> int:
    """Counties needed for *share* percent of *total*, rounded up to a whole county."""
    check_share(share)
    return math.ceil(Fraction(total) * Fraction(Decimal(repr(float(share)))) / 100)


@dataclass(frozen=True, slots=True)
class CountyPlan:
    """One county's planned year and the years it reached each step of the review chain."""

    code: str
    name: str
    city: str
    planned_year: int | None
    self_evaluated: int | None = None
    city_reviewed: int | None = None
    recommended: int | None = None
    recognised: int | None = None


@dataclass(frozen=True, slots=True)
class PlanRow:
    city: str
    cells: dict[int, list[str]]
    total: int
    unplanned: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PlanTable:
    """City rows × years, county names per cell; totals per year and cumulative share."""

    years: tuple[int, ...]
    rows: list[PlanRow]
    per_year: dict[int, int]
    cumulative: dict[int, int]
    share: dict[int, float]
    counties: int


def plan_table(plans: Iterable[CountyPlan], years: tuple[int, ...] = YEARS) -> PlanTable:
    items = list(plans)
    cities: dict[str, list[CountyPlan]] = {}
    for p in items:
        cities.setdefault(p.city, []).append(p)
    rows = [
        PlanRow(
            city=city,
            cells={y: [p.name for p in ps if p.planned_year == y] for y in years},
            total=len(ps),
            unplanned=[p.name for p in ps if p.planned_year is None],
        )
        for city, ps in cities.items()
    ]
    per_year = {y: sum(1 for p in items if p.planned_year == y) for y in years}
    cumulative: dict[int, int] = {}
    running = sum(1 for p in items if p.planned_year is not None and p.planned_year < years[0])
    for y in years:
        running += per_year[y]
        cumulative[y] = running
    n = len(items)
    share = {y: (cumulative[y] / n if n else 0.0) for y in years}
    return PlanTable(years, rows, per_year, cumulative, share, n)


def behind_plan(plans: Iterable[CountyPlan], this_year: int) -> list[CountyPlan]:
    """The 重点督促 list: the planned year has passed and the province has not recommended."""
    return sorted(
        (p for p in plans if p.planned_year is not None and p.planned_year < this_year
         and p.recommended is None and p.recognised is None),
        key=lambda p: (p.planned_year or 0, p.code),
    )  # fmt: skip


def targets_by_year(
    targets: Mapping[int, float], total: int, years: tuple[int, ...] = YEARS
) -> dict[int, int]:
    """The target line: each year holds the count of the latest target set at or before it."""
    for y, s in targets.items():
        check_year(y, "目标年度")
        check_share(s)
    line: dict[int, int] = {}
    current = 0
    for y in years:
        if y in targets:
            current = target_count(total, targets[y])
        line[y] = current
    return line


@dataclass(frozen=True, slots=True)
class Progress:
    """Cumulative counts per year for the chart: each step against the target line."""

    years: tuple[int, ...]
    planned: dict[int, int]
    self_evaluated: dict[int, int]
    city_reviewed: dict[int, int]
    recommended: dict[int, int]
    recognised: dict[int, int]
    target: dict[int, int]


def _cumulative(values: list[int | None], years: tuple[int, ...]) -> dict[int, int]:
    return {y: sum(1 for v in values if v is not None and v <= y) for y in years}


def progress(
    plans: Iterable[CountyPlan], targets: Mapping[int, float], years: tuple[int, ...] = YEARS
) -> Progress:
    items = list(plans)
    return Progress(
        years=years,
        planned=_cumulative([p.planned_year for p in items], years),
        self_evaluated=_cumulative([p.self_evaluated for p in items], years),
        city_reviewed=_cumulative([p.city_reviewed for p in items], years),
        recommended=_cumulative([p.recommended for p in items], years),
        recognised=_cumulative([p.recognised for p in items], years),
        target=targets_by_year(targets, len(items), years),
    )
