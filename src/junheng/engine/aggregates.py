"""Per-school guarantee and quality checks, and their sums per county."""

from __future__ import annotations

import polars as pl

from ..standard import Standard

_THROUGH = ("nine_year", "twelve_year")


def _strict_sum(column: str, relevant: pl.Expr, required: pl.Expr | None = None) -> pl.Expr:
    """Sum over relevant rows, or null when any relevant row that must report the value
    (all of them, unless *required* narrows it) did not."""
    must = relevant if required is None else relevant & required
    return (
        pl.when((pl.col(column).is_null() & must).any())
        .then(None)
        .otherwise(pl.col(column).filter(relevant).sum())
    )


def _small_school_funds(
    schools: pl.DataFrame, standard: Standard, benchmarks: pl.DataFrame | None
) -> pl.DataFrame:
    """What each school would get at 100 pupils (元): the per-pupil benchmark of its stages
    (the county's own, else the standard's), weighted by its compulsory pupils."""
    p = standard.indicator("small_school_funds").params
    bm_p, bm_j = pl.lit(p["benchmark_primary"]), pl.lit(p["benchmark_junior"])
    if benchmarks is not None:
        schools = schools.join(benchmarks, on="county_code", how="left")
        bm_p = pl.coalesce("benchmark_primary", bm_p)
        bm_j = pl.coalesce("benchmark_junior", bm_j)
    pupils_p, pupils_j = pl.col("p_students").fill_null(0), pl.col("j_students").fill_null(0)
    per_pupil = (
        pl.when(pupils_p + pupils_j > 0)
        .then((bm_p * pupils_p + bm_j * pupils_j) / (pupils_p + pupils_j))
        .otherwise(bm_p)
    )
    out = schools.with_columns(small_required=per_pupil * p["students"])
    return out.drop("benchmark_primary", "benchmark_junior", strict=False)


def school_checks(
    schools: pl.DataFrame, standard: Standard, benchmarks: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per school with the school-level parts of guarantee items 3–6 and quality 4."""
    schools = _small_school_funds(schools, standard, benchmarks)
    small_size = standard.param("small_school_funds", "students")
    rooms = standard.indicator("music_art_rooms").params
    size = standard.indicator("school_size").params
    tp_min = standard.settings["teaching_point_min_students"]
    compulsory = pl.col("p_students").fill_null(0) + pl.col("j_students").fill_null(0)
    all_pupils = compulsory + pl.col("s_students").fill_null(0)
    small = (pl.col("type") != "special") & (compulsory > 0) & (all_pupils < small_size)
    small_short = (pl.col("small_required") - pl.col("public_funds") * 10_000).clip(lower_bound=0)
    classes = pl.col("p_classes").fill_null(0) + pl.col("j_classes").fill_null(0)
    t = pl.col("type")
    in_scope = (t != "special") & ~((t == "teaching_point") & (compulsory < tp_min))
    needed = (classes / rooms["classes_per_room"]).ceil().cast(pl.Int64)
    music_short = (needed - pl.col("music_ok")).clip(lower_bound=0)
    art_short = (needed - pl.col("art_ok")).clip(lower_bound=0)
    over_primary = t.is_in(["primary", "teaching_point"]) & (pl.col("p_students") > size["primary"])
    over_junior = t.is_in(["junior", "complete_middle"]) & (pl.col("j_students") > size["junior"])
    over_through = t.is_in(list(_THROUGH)) & (compulsory > size["through"])
    min_share = standard.param("training_funds", "min")
    training_short = (pl.col("public_funds") * min_share - pl.col("training_funds")).clip(
        lower_bound=0
    ) * 10_000
    rural = tuple(standard.settings.get("quota_rural_classes", ("乡村",)))
    return schools.with_columns(
        rural=pl.col("urban_rural").is_in(list(rural)).fill_null(False),
        compulsory=compulsory,
        classes_total=classes,
        teachers_total=pl.col("p_teachers").fill_null(0) + pl.col("j_teachers").fill_null(0),
        in_room_scope=in_scope,
        rooms_needed=pl.when(in_scope).then(needed),
        music_short=pl.when(in_scope).then(music_short),
        art_short=pl.when(in_scope).then(art_short),
        room_fail=pl.when(in_scope).then((music_short > 0) | (art_short > 0)),
        over_primary=over_primary,
        over_junior=over_junior,
        over_through=over_through,
        oversize=(over_primary | over_junior | over_through),
        small=small,
        small_short=pl.when(small).then(small_short),
        small_fail=pl.when(small).then(small_short > 1e-6),
        training_short=training_short,
        training_fail=training_short > 1e-6,
    )


def county_aggregates(checks: pl.DataFrame) -> pl.DataFrame:
    """Sums of the school checks per county; nulls where a needed school figure is missing."""
    c = pl.col
    teaching = c("teachers_total") > 0
    regular = c("type") != "special"
    return checks.group_by("county_code").agg(
        n_schools=pl.len(),
        room_fail_count=c("room_fail").fill_null(False).sum(),
        room_missing=pl.when(c("room_fail").is_null() & c("in_room_scope")).then(1).sum(),
        room_fail_any=c("room_fail").filter(c("in_room_scope")).any(ignore_nulls=False),
        room_fail_names=c("name").filter(c("room_fail").fill_null(False)),
        over_primary_n=c("over_primary").sum(),
        over_junior_n=c("over_junior").sum(),
        over_through_n=c("over_through").sum(),
        oversize_names=c("name").filter(c("oversize")),
        # the 45/50 class limits are for 小学、初中 classes, not special-education schools; a
        # teaching point too small for the resource part need not report them either
        p_oversized_sum=_strict_sum(
            "p_oversized", (c("p_students").fill_null(0) > 0) & regular, c("in_room_scope")
        ),
        j_oversized_sum=_strict_sum(
            "j_oversized", (c("j_students").fill_null(0) > 0) & regular, c("in_room_scope")
        ),
        small_n=c("small").sum(),
        small_fail_any=c("small_fail").filter(c("small")).any(ignore_nulls=False),
        small_fail_names=c("name").filter(c("small_fail").fill_null(False)),
        small_funds_required=c("small_required").filter(c("small")).sum(),
        small_students_schools=c("compulsory").filter(c("small")).sum(),
        small_funds_schools=_strict_sum("public_funds", c("small")),
        # a special school that left both pupil counts blank makes the total unknown
        special_students_schools=pl.when(
            ((c("type") == "special") & c("p_students").is_null() & c("j_students").is_null()).any()
        )
        .then(None)
        .otherwise(c("compulsory").filter(c("type") == "special").sum()),
        teachers_sum=c("teachers_total").sum(),
        trained_sum=_strict_sum("trained", teaching),
        certified_sum=_strict_sum("certified", teaching),
        junior_students=c("j_students").fill_null(0).sum(),
        rural_junior_students=c("j_students").fill_null(0).filter(c("rural")).sum(),
        urban_rural_known=c("urban_rural").is_not_null().any(),
        training_fail_count=c("training_fail").fill_null(False).sum(),
        training_fund_missing=pl.when(c("training_fail").is_null()).then(1).sum(),
        training_fail_any=c("training_fail").any(ignore_nulls=False),
        training_fail_names=c("name").filter(c("training_fail").fill_null(False)),
        training_short_sum=c("training_short").fill_null(0).sum(),
    )
