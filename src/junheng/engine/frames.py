"""The whole evaluation as Polars frames, for every county in the input at once."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ..reader import Dataset, county_schema
from ..standard import PARTS, Standard
from .aggregates import county_aggregates, school_checks
from .guarantee import GUARANTEE
from .quality import (
    QUALITY,
    RECOGNITION,
    eligibility,
    local_rules,
    recognition_design,
    sample_needed,
)
from .resource import county_stages, cv_drivers, school_stages
from .rules import Rule

c = pl.col


@dataclass(frozen=True, slots=True)
class Frames:
    """Everything the engine computed; results and reports read from here."""

    standard: Standard
    school_stages: pl.DataFrame
    county_stages: pl.DataFrame
    school_checks: pl.DataFrame
    counties: pl.DataFrame
    drivers: pl.DataFrame
    excluded: pl.DataFrame


def rules_by_part(standard: Standard) -> dict[str, tuple[Rule, ...]]:
    """The rules of each county-level part, in the standard's numbering."""
    known = {r.key: r for r in (*GUARANTEE, *QUALITY, RECOGNITION)}
    out: dict[str, tuple[Rule, ...]] = {}
    for part in PARTS[1:]:
        inds = sorted(standard.part(part), key=lambda i: i.no)
        out[part] = tuple(known[i.key] for i in inds)
    out["local"] = local_rules(standard)
    return out


def _county_base(data: Dataset, standard: Standard) -> pl.DataFrame:
    codes = data.schools.group_by("county_code", maintain_order=True).agg(c("county_name").first())
    schema = county_schema(standard)
    sheet = data.counties if data.counties is not None else pl.DataFrame(schema=schema)
    sheet = sheet.drop("_row")
    joined = codes.join(sheet, on="county_code", how="full", coalesce=True, suffix="_sheet")
    return joined.with_columns(county_name=pl.coalesce("county_name_sheet", "county_name")).drop(
        "county_name_sheet"
    )


def _all_of(cols: list[str]) -> pl.Expr:
    """Kleene AND: False if any fails, null if none fails but one is unknown."""
    return pl.all_horizontal([c(x) for x in cols]) if cols else pl.lit(True)


def evaluate_frames(data: Dataset, standard: Standard) -> Frames:
    long = school_stages(data.schools, standard)
    stages = county_stages(long, standard)
    benchmarks = None
    if data.counties is not None:
        benchmarks = data.counties.select("county_code", "benchmark_primary", "benchmark_junior")
    checks = school_checks(data.schools, standard, benchmarks)
    aggs = county_aggregates(checks)

    resource = stages.group_by("county_code").agg(
        resource_pass=(c("all_schools_pass") & c("cv_pass_all")).all()
    )
    frame = (
        _county_base(data, standard)
        .join(aggs, on="county_code", how="left")
        .join(resource, on="county_code", how="left")
        .with_columns(
            small_funds_all=pl.coalesce("small_funds", c("small_funds_schools")),
            small_students_all=pl.coalesce("small_students", "small_students_schools"),
            special_students_all=pl.coalesce("special_students", "special_students_schools"),
            sample_needed=sample_needed(standard),
        )
        .with_columns(recognition_design(standard))
    )  # fmt: skip
    parts = rules_by_part(standard)
    item_cols = {part: [item_column(part, r.key) for r in rules] for part, rules in parts.items()}
    frame = frame.with_columns(
        [r.expr(standard).alias(item_column(p, r.key)) for p, rules in parts.items() for r in rules]
    )
    binding = [item_column("local", t.key) for t in standard.local_targets if t.binding]
    veto_cols = [x for x in frame.columns if x.startswith("veto_")]
    frame = frame.with_columns(
        **{f"{p}_pass": _all_of(cols) for p, cols in item_cols.items()},
        binding_pass=_all_of(binding),
        eligible=eligibility(standard),
        vetoed=pl.any_horizontal([c(v).fill_null(False) for v in veto_cols]),
        veto_unknown=pl.any_horizontal([c(v).is_null() for v in veto_cols]),
    )
    frame = frame.with_columns(
        recognised=(
            c("resource_pass")
            & c("guarantee_pass")
            & c("quality_pass")
            & c("recognition_pass")
            & c("binding_pass")
            & ~c("vetoed")
            & ~c("veto_unknown")
            & c("eligible")
        ).fill_null(False)
    )
    # drivers only where a CV fails; cv_drivers narrows the long frame before joining
    drivers = cv_drivers(long, stages.filter(~c("cv_pass_all")))
    excluded = excluded_schools(data, long, standard)
    return Frames(standard, long, stages, checks, frame, drivers, excluded)


def excluded_schools(data: Dataset, long: pl.DataFrame, standard: Standard) -> pl.DataFrame:
    """Every school with no stage in the resource part, and why: none disappears."""
    tp_min = standard.settings["teaching_point_min_students"]
    pupils = c("p_students").fill_null(0) + c("j_students").fill_null(0)
    reason = (
        pl.when(c("type") == "special")
        .then(pl.lit("特殊教育学校不参加资源配置评估"))
        .when((c("type") == "teaching_point") & (pupils < tp_min) & (pupils > 0))
        .then(pl.format(f"在校生不足{tp_min}人的教学点（{{}}人），不参加资源配置评估", pupils))
        .otherwise(pl.lit("没有小学、初中在校生，不参加资源配置评估"))
    )
    evaluated = long.select("code").unique()
    return (
        data.schools.join(evaluated, on="code", how="anti")
        .sort("_row")
        .select("county_code", "code", "name", "type", "p_students", reason=reason)
    )


def item_column(part: str, key: str) -> str:
    """Frame column holding the verdict of one county-level item."""
    return f"item__{part}__{key}"
