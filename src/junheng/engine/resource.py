"""资源配置: per school and stage values, the 6-of-7 + 85% rule, weighted CVs and gaps.

All work is column expressions over every school of every county at once; nothing
loops over schools in Python.
"""

from __future__ import annotations

import polars as pl

from ..display import CV_DIGITS, VALUE_DIGITS
from ..standard import RESOURCE_KEYS, Standard
from .rules import shown_at

STAGES = ("primary", "junior")
_EPS = 1e-9
_PREFIX = {"primary": "p", "junior": "j"}

# Per-100-pupil teacher indicators: (indicator, count column in the long frame)
TEACHER_KEYS = {
    "qualified_teachers": "qualified",
    "backbone_teachers": "backbone",
    "pe_art_teachers": "pe_art",
}
# Shared-facility indicators: (indicator, school total column, multiplier to the unit)
FACILITY_KEYS = {
    "teaching_area": ("teach_total", 1.0),
    "sports_area": ("sports_total", 1.0),
    "equipment_value": ("equip_total", 10_000.0),
    "multimedia_rooms": ("rooms_total", 100.0),
}
INTEGER_GAPS = {"qualified_teachers", "backbone_teachers", "pe_art_teachers", "multimedia_rooms"}
GAP_DECIMALS = {"teaching_area": 2, "sports_area": 2, "equipment_value": 0}
"""Gaps are rounded up (adding the amount shown closes the gap): whole teachers and rooms,
m² to 2 decimals, whole 元."""


def _by_stage(values: dict[str, float]) -> pl.Expr:
    return (
        pl.when(pl.col("stage") == "primary")
        .then(pl.lit(values["primary"]))
        .otherwise(pl.lit(values["junior"]))
    )


def school_stages(schools: pl.DataFrame, standard: Standard) -> pl.DataFrame:
    """One row per school and stage in the resource part, with the 7 values and verdicts."""
    s = standard.settings
    w = s["stage_weights"]
    weighted = (
        pl.col("p_students").fill_null(0) * w["primary"]
        + pl.col("j_students").fill_null(0) * w["junior"]
        + pl.col("s_students").fill_null(0) * w["senior"]
    )
    base = schools.filter(pl.col("type") != "special").with_columns(
        _weighted=weighted,
        teach_total=pl.col("teach_area") - pl.col("indoor_sports").fill_null(0),
        sports_total=pl.col("sports_ground") + pl.col("indoor_sports").fill_null(0),
        equip_total=pl.col("equipment"),
        rooms_total=pl.col("mm_rooms").cast(pl.Float64),
    )
    parts = []
    for stage, p in _PREFIX.items():
        parts.append(
            base.select(
                "county_code",
                "county_name",
                "code",
                "name",
                "type",
                "sponsor",
                "urban_rural",
                "teach_total",
                "sports_total",
                "equip_total",
                "rooms_total",
                stage=pl.lit(stage),
                students=pl.col(f"{p}_students").fill_null(0),
                classes=pl.col(f"{p}_classes"),
                teachers=pl.col(f"{p}_teachers"),
                qualified=pl.col(f"{p}_qualified"),
                backbone=pl.col(f"{p}_backbone"),
                pe_art=pl.col(f"{p}_pe_art"),
                share=pl.col(f"{p}_students").fill_null(0) * w[stage] / pl.col("_weighted"),
            )
        )
    small_point = (pl.col("type") == "teaching_point") & (
        pl.col("students") < s["teaching_point_min_students"]
    )
    long = pl.concat(parts).filter((pl.col("students") > 0) & ~small_point)

    floor_share = float(s["floor_share"])
    exprs: list[pl.Expr] = []
    for key, count in TEACHER_KEYS.items():
        exprs.append((pl.col(count) * 100.0 / pl.col("students")).alias(key))
    for key, (total, mult) in FACILITY_KEYS.items():
        exprs.append((pl.col(total) * mult * pl.col("share") / pl.col("students")).alias(key))
    long = long.with_columns(exprs)

    verdicts: list[pl.Expr] = []
    for key in RESOURCE_KEYS:
        thr = _by_stage(standard.indicator(key).per_stage)
        judged = shown_at(pl.col(key), VALUE_DIGITS, standard)
        verdicts += [
            (judged >= thr - _EPS).alias(f"met_{key}"),
            (judged >= thr * floor_share - _EPS).alias(f"floor_{key}"),
            _gap(key, thr).alias(f"gap_{key}"),
            _gap(key, thr * floor_share).alias(f"gap85_{key}"),
        ]
    long = long.with_columns(verdicts)
    met = pl.sum_horizontal([pl.col(f"met_{k}").cast(pl.Int32) for k in RESOURCE_KEYS])
    floors = pl.all_horizontal([pl.col(f"floor_{k}") for k in RESOURCE_KEYS])
    return long.with_columns(met=met).with_columns(
        passed=(pl.col("met") >= int(s["school_min_met"])) & floors
    )


def _gap(key: str, target: pl.Expr) -> pl.Expr:
    """Quantity the school lacks to reach *target*: teachers, m², 元 or rooms (0 if none)."""
    missing_per_pupil = (target - pl.col(key)).clip(lower_bound=0)
    if key in TEACHER_KEYS:
        raw = missing_per_pupil * pl.col("students") / 100.0
    else:
        # a shared facility counts for this stage only by its share, so the school must add
        # share⁻¹ times what the stage lacks
        raw = missing_per_pupil * pl.col("students") / pl.col("share")
        if key == "multimedia_rooms":
            raw = raw / 100.0
    scale = 10.0 ** GAP_DECIMALS.get(key, 0)
    # 1e-6 absorbs float noise (200.00000000000017 m² is 200.00, not 200.01); abs turns the
    # -0.0 that ceil gives just below zero into 0.0: no "-0.0" in the JSON
    return ((raw * scale - 1e-6).ceil() / scale).clip(lower_bound=0).abs()


def county_stages(long: pl.DataFrame, standard: Standard) -> pl.DataFrame:
    """Per county and stage: schools, passing schools, weighted means and CVs per indicator."""
    group = ["county_code", "stage"]
    # The window sums go in one context and the division in the next: nested in a division,
    # each ``.over`` (and the shared N) was evaluated on its own, 2.5× slower; the sums and
    # so the means are bit-for-bit the same.
    sums = long.with_columns(
        _n=pl.col("students").sum().over(group),
        **{f"_sx_{k}": (pl.col("students") * pl.col(k)).sum().over(group) for k in RESOURCE_KEYS},
    )
    with_dev = sums.with_columns(
        [pl.col(f"_sx_{k}").truediv(pl.col("_n")).alias(f"mean_{k}") for k in RESOURCE_KEYS]
    ).with_columns(
        [
            (pl.col("students") * (pl.col(k) - pl.col(f"mean_{k}")) ** 2).alias(f"dev_{k}")
            for k in RESOURCE_KEYS
        ]
    )
    cv_max = _by_stage(standard.settings["cv_max"])
    agg = with_dev.group_by(group, maintain_order=True).agg(
        schools=pl.len(),
        schools_passing=pl.col("passed").sum(),
        students=pl.col("students").sum(),
        **{f"mean_{k}": pl.col(f"mean_{k}").first() for k in RESOURCE_KEYS},
        **{f"ss_{k}": pl.col(f"dev_{k}").sum() for k in RESOURCE_KEYS},
        **{f"met_count_{k}": pl.col(f"met_{k}").sum() for k in RESOURCE_KEYS},
    )
    cvs = [
        pl.when(pl.col(f"mean_{k}") > 0)
        .then((pl.col(f"ss_{k}") / pl.col("students")).sqrt() / pl.col(f"mean_{k}"))
        .otherwise(None)
        .alias(f"cv_{k}")
        for k in RESOURCE_KEYS
    ]
    out = agg.with_columns(cvs)
    return out.with_columns(
        # tolerance: a CV of exactly 0.50 computes as 0.5000000000000001 and must pass
        [
            (shown_at(pl.col(f"cv_{k}"), CV_DIGITS, standard) <= cv_max + _EPS).alias(
                f"cv_pass_{k}"
            )
            for k in RESOURCE_KEYS
        ]
    ).with_columns(
        cv_pass_all=pl.all_horizontal(
            [pl.col(f"cv_pass_{k}").fill_null(False) for k in RESOURCE_KEYS]
        ),
        all_schools_pass=pl.col("schools_passing") == pl.col("schools"),
    )


def cv_drivers(long: pl.DataFrame, stages: pl.DataFrame, top: int = 3) -> pl.DataFrame:
    """For every county, stage and indicator, the schools adding most to the weighted variance.

    A school's share is Pᵢ(Xᵢ − X̄)² / Σ Pⱼ(Xⱼ − X̄)²; the top *top* per group are kept,
    largest share first, ties by school code. Only the (county, stage) groups in *stages*
    are looked at.
    """
    group = ["county_code", "stage"]
    # _g numbers the groups: windows and group-bys on one integer are cheaper than on two
    # strings (the sums are the same, in the same order)
    means = stages.select(*group, *[f"mean_{k}" for k in RESOURCE_KEYS]).with_row_index("_g")
    cols = [*group, "code", "name", "students"]
    # only the columns needed, not the 50-odd verdict columns of the long frame; an inner
    # join drops schools of other groups here rather than after computing their shares
    joined = long.select(*cols, *RESOURCE_KEYS).join(
        means, on=group, how="inner", maintain_order="left"
    )
    shares: dict[str, pl.Expr] = {}
    for k in RESOURCE_KEYS:
        dev = pl.col("students") * (pl.col(k) - pl.col(f"mean_{k}")) ** 2
        shares[f"_c_{k}"] = dev / dev.sum().over("_g")
    joined = joined.with_columns(**shares)
    # Sorting every school × 7 indicators (with names) to keep 3 per group was most of the
    # engine's time. Instead find each group's top-th largest share and keep the rows at or
    # above it: a superset of the answer (ties included). A group with no variance (shares
    # 0/0 = NaN) has no school pulling its CV up, so NaN shares are dropped.
    cutoff = joined.group_by("_g").agg(
        [
            pl.col(c)
            .filter(pl.col(c).is_finite() & (pl.col(c) > 0))
            .top_k(top)
            .min()
            .alias(f"_t{c}")
            for c in shares
        ]
    )
    joined = joined.join(cutoff, on="_g", how="left", maintain_order="left")
    frames = []
    for k in RESOURCE_KEYS:
        c = pl.col(f"_c_{k}")
        keep = c.is_finite() & (c > 0) & (c >= pl.col(f"_t_c_{k}"))
        frames.append(
            joined.filter(keep).select(
                *cols,
                indicator=pl.lit(k),
                value=pl.col(k),
                mean=pl.col(f"mean_{k}"),
                contribution=c,
            )
        )
    allk = pl.concat(frames)
    # the exact pick and order, on the few rows left
    return (
        allk.sort(["contribution", "code"], descending=[True, False], maintain_order=True)
        .group_by(["county_code", "stage", "indicator"], maintain_order=True)
        .head(top)
    )
