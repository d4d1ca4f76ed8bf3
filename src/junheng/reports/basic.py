"""表Ⅰ 基本情况: a county's schools, classes, pupils and teachers by stage, with its rural part.

Counted from the validated school sheet in one Polars pass for every county; the economic
columns of the form (GDP, revenue, incomes, towns, villages) are not collected and stay blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ..reader import Dataset
from ..standard import Standard

TYPE_COUNTS = ("primary", "nine_year", "junior", "complete_middle", "twelve_year", "special")
"""School types in the order of 表Ⅰ columns L9–L14."""
RURAL = "乡村"

_SUMS = {
    "p_classes": "p_classes",
    "j_classes": "j_classes",
    "p_students": "p_students",
    "j_students": "j_students",
    "p_teachers": "p_teachers",
    "j_teachers": "j_teachers",
}


@dataclass(frozen=True, slots=True)
class Counts:
    """Schools by type, teaching points, and per-stage classes, pupils and full-time teachers."""

    schools: dict[str, int] = field(default_factory=dict)
    teaching_points: int = 0
    teaching_points_large: int = 0
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def school_total(self) -> int:
        return sum(self.schools.values())


@dataclass(frozen=True, slots=True)
class BasicFacts:
    code: str
    name: str
    population: float | None
    whole: Counts
    rural: Counts


def _aggregate(schools: pl.DataFrame, min_students: int) -> dict[str, Counts]:
    exprs: list[pl.Expr] = [
        (pl.col("type") == t).sum().cast(pl.Int64).alias(f"n_{t}") for t in TYPE_COUNTS
    ]
    point = pl.col("type") == "teaching_point"
    exprs += [
        point.sum().cast(pl.Int64).alias("n_point"),
        (point & (pl.col("p_students").fill_null(0) >= min_students))
        .sum()
        .cast(pl.Int64)
        .alias("n_point_large"),
        *(pl.col(c).fill_null(0).sum().cast(pl.Int64).alias(k) for k, c in _SUMS.items()),
    ]
    rows = schools.group_by("county_code").agg(exprs).to_dicts()
    return {
        r["county_code"]: Counts(
            schools={t: int(r[f"n_{t}"]) for t in TYPE_COUNTS},
            teaching_points=int(r["n_point"]),
            teaching_points_large=int(r["n_point_large"]),
            totals={k: int(r[k]) for k in _SUMS},
        )
        for r in rows
    }


def basic_facts(data: Dataset, standard: Standard) -> dict[str, BasicFacts]:
    """表Ⅰ figures for every county in *data*, keyed by county code."""
    min_students = int(standard.settings["teaching_point_min_students"])
    whole = _aggregate(data.schools, min_students)
    rural = _aggregate(data.schools.filter(pl.col("urban_rural") == RURAL), min_students)
    names = dict(
        data.schools.select("county_code", "county_name").unique("county_code").iter_rows()
    )
    population: dict[str, float | None] = {}
    if data.counties is not None and "population" in data.counties.columns:
        population = dict(data.counties.select("county_code", "population").iter_rows())
        for code, name in data.counties.select("county_code", "county_name").iter_rows():
            names.setdefault(code, name)
    empty = Counts(schools=dict.fromkeys(TYPE_COUNTS, 0), totals=dict.fromkeys(_SUMS, 0))
    return {
        code: BasicFacts(
            code=code,
            name=str(names.get(code, code)),
            population=population.get(code),
            whole=whole.get(code, empty),
            rural=rural.get(code, empty),
        )
        for code in sorted(set(whole) | set(population))
    }


__all__ = ["RURAL", "TYPE_COUNTS", "BasicFacts", "Counts", "basic_facts"]
