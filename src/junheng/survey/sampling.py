"""Sampling plan of a county's own social-recognition survey, as the national design asks.

Sample = 1.5‰ of the resident population (never below the practice minimum), parents at least
half, respondents spread over 城区/镇区/乡村 in proportion to population, and the school-bound
groups (students, parents, teachers) spread over schools in proportion to their pupils or
teachers. Integer quotas use the largest-remainder method so every total adds up exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import polars as pl

from junheng.contract import URBAN_RURAL
from junheng.errors import JunhengError
from junheng.standard import Standard
from junheng.survey.questionnaire import GROUPS


class SamplingError(JunhengError):
    """The plan cannot be drawn up; the message says which figure is missing."""


@dataclass(frozen=True, slots=True)
class SamplingPlan:
    population: float
    """常住人口, 万人."""
    total: int
    by_group: dict[str, int]
    by_area: dict[str, dict[str, int]]
    """group → area → respondents."""
    schools: pl.DataFrame
    """school_code, school_name, area, and one quota column per school-bound group."""
    area_basis: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "population": self.population,
            "total": self.total,
            "by_group": self.by_group,
            "by_area": self.by_area,
            "area_basis": self.area_basis,
            "schools": self.schools.to_dicts(),
        }


def apportion(total: int, weights: list[float]) -> list[int]:
    """Largest remainder: integers proportional to ``weights`` summing to ``total``.

    Ties in the remainder go to the earlier entry, so a plan is reproducible.
    """
    mass = sum(weights)
    if total <= 0 or mass <= 0:
        return [0] * len(weights)
    exact = [total * w / mass for w in weights]
    base = [math.floor(e + 1e-9) for e in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - base[i]), i))
    for i in order[: total - sum(base)]:
        base[i] += 1
    return base


def sample_size(population: float, standard: Standard) -> int:
    """1.5‰ of residents (population in 万人), at least the practice minimum."""
    per_mille = standard.param("social_recognition", "sample_per_mille")
    minimum = int(standard.param("social_recognition", "sample_min"))
    # population is in 万人: 10,000 people × 1.5‰ = 15 respondents per 万人
    return max(math.ceil(population * 10 * per_mille - 1e-9), minimum)


def _group_quotas(total: int, settings: dict[str, Any]) -> dict[str, int]:
    shares: dict[str, float] = {g: float(settings["group_shares"].get(g, 0)) for g in GROUPS}
    parent_min = float(settings.get("parent_share_min", 0.5))
    parents = max(math.ceil(total * shares["parent"] - 1e-9), math.ceil(total * parent_min - 1e-9))
    others = [g for g in GROUPS if g != "parent"]
    counts = apportion(total - parents, [shares[g] for g in others])
    return {"parent": parents, **dict(zip(others, counts, strict=True))}


def plan_sample(
    population: float | None,
    schools: pl.DataFrame,
    standard: Standard,
    area_population: dict[str, float] | None = None,
) -> SamplingPlan:
    """The plan for one county.

    ``schools`` has school_code, school_name, urban_rural (城区/镇区/乡村), students and teachers.
    Without a population per area the areas are weighted by their schools' pupils, and the plan
    says so.
    """
    if population is None or not math.isfinite(population) or population <= 0:
        raise SamplingError("区县常住人口（万人）未填写或不是正数，无法计算样本量")
    settings: dict[str, Any] = standard.settings["survey"]
    total = sample_size(population, standard)
    by_group = _group_quotas(total, settings)

    schools = schools.with_columns(
        pl.col("students").fill_null(0).cast(pl.Float64),
        pl.col("teachers").fill_null(0).cast(pl.Float64),
    )
    pupils = {
        a: float(schools.filter(pl.col("urban_rural") == a)["students"].sum()) for a in URBAN_RURAL
    }
    if area_population and sum(area_population.get(a, 0) for a in URBAN_RURAL) > 0:
        weights = {a: float(area_population.get(a, 0)) for a in URBAN_RURAL}
        basis = "城区、镇区、乡村按常住人口比例分配"
    elif sum(pupils.values()) > 0:
        weights = pupils
        basis = "区县未填分地区常住人口，城区、镇区、乡村按在校生数比例分配"
    else:
        raise SamplingError("区县没有分地区常住人口，也没有学校在校生数，无法按城乡分配样本")

    school_groups = set(settings.get("school_groups", ("student", "parent", "teacher")))
    by_area: dict[str, dict[str, int]] = {}
    for group, quota in by_group.items():
        # a school-bound group cannot be sampled in an area without schools
        w = [
            weights[a] if group not in school_groups or pupils[a] > 0 else 0.0 for a in URBAN_RURAL
        ]
        by_area[group] = dict(zip(URBAN_RURAL, apportion(quota, w), strict=True))

    per_school = _per_school(schools, by_area, sorted(school_groups))
    return SamplingPlan(population, total, by_group, by_area, per_school, basis)


def _per_school(
    schools: pl.DataFrame, by_area: dict[str, dict[str, int]], groups: list[str]
) -> pl.DataFrame:
    out = schools.select("school_code", "school_name", pl.col("urban_rural").alias("area"))
    for group in groups:
        basis = "teachers" if group == "teacher" else "students"
        weight = pl.col(basis)
        if group == "teacher":
            # a school without teacher counts still gets teachers in proportion to pupils
            weight = (
                pl.when(pl.col("teachers").sum().over("urban_rural") > 0)
                .then(pl.col("teachers"))
                .otherwise(pl.col("students"))
            )
        quota = pl.col("urban_rural").replace_strict(by_area[group], default=0)
        exact = quota * weight / weight.sum().over("urban_rural")
        frame = schools.with_columns(_exact=exact.fill_nan(0.0).fill_null(0.0), _quota=quota)
        frame = frame.with_columns(_base=pl.col("_exact").floor())
        frame = frame.with_columns(
            _rank=(pl.col("_exact") - pl.col("_base"))
            .rank("ordinal", descending=True)
            .over("urban_rural"),
            _left=(pl.col("_quota") - pl.col("_base").sum().over("urban_rural")),
        )
        counts = (pl.col("_base") + (pl.col("_rank") <= pl.col("_left")).cast(pl.Float64)).cast(
            pl.Int64
        )
        out = out.with_columns(frame.select(counts.alias(group)).to_series())
    return out
