"""A seeded, vectorised synthetic national dataset shaped exactly like a read workbook.

The frames carry the same columns and dtypes as :func:`junheng.reader.school_schema` and
:func:`junheng.reader.county_schema` (``_row`` included), so the engine sees what the reader
would hand it. Every per-school figure is drawn with numpy over whole arrays; the only
Python loops run over the 31 provinces and the ~2,900 counties (for their names), never
over schools, so 210,000 schools take well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from junheng.contract import SCHOOL_TYPES, URBAN_RURAL
from junheng.reader import Dataset, county_schema, school_schema

N_COUNTIES = 2_900
N_SCHOOLS = 210_000
SEED = 2017

# Internal type codes and their share of all schools. Roughly the national mix of the
# education statistics: mostly 小学 and 初中, then teaching points, 九年一贯制, 完全中学.
TYPE_CODES = (
    "primary",
    "junior",
    "nine_year",
    "twelve_year",
    "complete_middle",
    "teaching_point",
    "special",
)
TYPE_SHARES = np.array([0.575, 0.175, 0.08, 0.008, 0.03, 0.121, 0.011])
# Median pupils per stage by type (0: the type has no pupils in that stage). Special schools
# report some primary/junior pupils, so the reader would ask for their stage counts too.
_P_MEDIAN = np.array([480.0, 0.0, 520.0, 900.0, 0.0, 28.0, 60.0])
_J_MEDIAN = np.array([0.0, 850.0, 420.0, 800.0, 950.0, 0.0, 30.0])
_S_MEDIAN = np.array([0.0, 0.0, 0.0, 1300.0, 1500.0, 0.0, 0.0])
_URBAN_SCALE = np.array([1.8, 1.1, 0.6])  # 城区, 镇区, 乡村: city schools are bigger

# Stage weights used only to size whole-school facilities plausibly (the engine's own
# weights come from the standard).
_FACILITY_WEIGHTS = (1.0, 1.1, 1.32)

PROVINCES = (
    (11, "北京"), (12, "天津"), (13, "河北"), (14, "山西"), (15, "内蒙古"), (21, "辽宁"),
    (22, "吉林"), (23, "黑龙江"), (31, "上海"), (32, "江苏"), (33, "浙江"), (34, "安徽"),
    (35, "福建"), (36, "江西"), (37, "山东"), (41, "河南"), (42, "湖北"), (43, "湖南"),
    (44, "广东"), (45, "广西"), (46, "海南"), (50, "重庆"), (51, "四川"), (52, "贵州"),
    (53, "云南"), (54, "西藏"), (61, "陕西"), (62, "甘肃"), (63, "青海"), (64, "宁夏"),
    (65, "新疆"),
)  # fmt: skip
# Relative number of counties per province (large inland provinces have the most).
_PROVINCE_WEIGHTS = np.array(
    [16, 16, 167, 117, 103, 100, 60, 121, 16, 95, 90, 105, 84, 100, 136, 157, 103, 122,
     122, 111, 25, 38, 183, 88, 129, 74, 107, 86, 44, 22, 107],
    dtype=float,
)  # fmt: skip

_TYPE_SUFFIX = {
    "primary": "小学",
    "junior": "初级中学",
    "nine_year": "九年一贯制学校",
    "twelve_year": "十二年一贯制学校",
    "complete_middle": "完全中学",
    "teaching_point": "教学点",
    "special": "特殊教育学校",
}
GOOD_SHARE = 0.2
TYPE_NAMES = {code: name for name, code in SCHOOL_TYPES.items()}
"""Internal type code → the canonical Chinese 办学类型 of the contract."""


@dataclass(frozen=True, slots=True)
class Synthetic:
    schools: pl.DataFrame
    counties: pl.DataFrame

    def dataset(self) -> Dataset:
        return Dataset(self.schools, self.counties, source="synthetic")


def _county_sizes(rng: np.random.Generator, n_counties: int, n_schools: int) -> np.ndarray:
    """Schools per county: skewed (a few big districts, many small counties), summing exactly."""
    floor = 3
    if n_schools < floor * n_counties:
        raise ValueError(f"need at least {floor} schools per county")
    weights = rng.lognormal(0.0, 0.6, n_counties)
    return rng.multinomial(n_schools - floor * n_counties, weights / weights.sum()) + floor


def _counties_meta(rng: np.random.Generator, n_counties: int) -> pl.DataFrame:
    """Codes, names, city and province of each county; codes unique 6-digit 行政区划代码."""
    prov = np.sort(
        rng.choice(len(PROVINCES), n_counties, p=_PROVINCE_WEIGHTS / _PROVINCE_WEIGHTS.sum())
    )
    # rank within the province gives unique (city, county) digits: 20 counties per city
    starts = np.searchsorted(prov, prov, side="left")
    rank = np.arange(n_counties) - starts
    city = rank // 20 + 1
    county = rank % 20 + 1
    prov_code = np.array([p for p, _ in PROVINCES])[prov]
    codes = prov_code * 10_000 + city * 100 + county
    prov_name = [PROVINCES[i][1] for i in prov]
    # per-county (not per-school) Python: 2,900 names are cheap and read naturally
    return pl.DataFrame(
        {
            "county_code": [f"{c:06d}" for c in codes],
            "county_name": [f"{p}样本{r + 1:03d}县" for p, r in zip(prov_name, rank, strict=True)],
            "city": [f"{p}第{c}市" for p, c in zip(prov_name, city, strict=True)],
            "province": [f"{p}" for p in prov_name],
        }
    )


def _lognormal_count(
    rng: np.random.Generator, median: np.ndarray, sigma: float, lo: int, hi: int
) -> np.ndarray:
    """Integer counts around *median* (0 where the median is 0)."""
    raw = median * rng.lognormal(0.0, sigma, median.shape[0])
    return np.where(median > 0, np.clip(np.rint(raw), lo, hi), 0).astype(np.int64)


def _binomial(rng: np.random.Generator, n: np.ndarray, p: np.ndarray | float) -> np.ndarray:
    """A part of a whole (qualified of teachers, ...): never exceeds it."""
    return rng.binomial(n, p).astype(np.int64)


def _schools(rng: np.random.Generator, meta: pl.DataFrame, sizes: np.ndarray) -> pl.DataFrame:
    n = int(sizes.sum())
    county_idx = np.repeat(np.arange(sizes.shape[0]), sizes)
    seq = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes) + 1  # 1.. within county
    tcode = rng.choice(len(TYPE_CODES), n, p=TYPE_SHARES / TYPE_SHARES.sum())
    is_tp = tcode == TYPE_CODES.index("teaching_point")
    is_special = tcode == TYPE_CODES.index("special")

    ur = rng.choice(3, n, p=[0.25, 0.35, 0.40])
    ur = np.where(is_tp, 2, ur)  # teaching points are village schools
    scale = _URBAN_SCALE[ur]
    # each county has its own resource level, so CVs and verdicts differ between counties;
    # about a fifth are well-run "model" counties (tight spreads, no shortfalls), so every
    # verdict branch of the engine is exercised, not just "fail"
    n_counties = sizes.shape[0]
    county_level = np.asarray(rng.lognormal(0.0, 0.15, size=n_counties))[county_idx]
    good = np.asarray(rng.random(size=n_counties) < GOOD_SHARE)[county_idx]
    spread = np.where(good, 0.35, 1.0)

    p_st = _lognormal_count(rng, _P_MEDIAN[tcode] * np.where(is_tp, 1.0, scale), 0.6, 3, 4_000)
    j_st = _lognormal_count(rng, _J_MEDIAN[tcode] * scale, 0.55, 10, 4_500)
    cap = np.where(np.isin(tcode, [2, 3]), 1_200, 2_000)  # model counties keep size limits
    p_st, j_st = (
        np.where(good, np.minimum(p_st, cap), p_st),
        np.where(good, np.minimum(j_st, cap), j_st),
    )
    s_st = _lognormal_count(rng, _S_MEDIAN[tcode] * scale, 0.5, 30, 5_000)
    has_p, has_j, has_s = _P_MEDIAN[tcode] > 0, _J_MEDIAN[tcode] > 0, _S_MEDIAN[tcode] > 0
    # a few 一贯制 schools have no pupils yet in one stage: the engine must drop that stage
    through = np.isin(tcode, [2, 3])
    empty = through & (rng.random(n) < 0.01)
    j_st = np.where(empty & (rng.random(n) < 0.5), 0, j_st)
    p_st = np.where(empty & (j_st > 0), 0, p_st)

    def classes(pupils: np.ndarray) -> np.ndarray:
        size = np.where(good, rng.uniform(28.0, 40.0, n), rng.uniform(26.0, 47.0, n))
        return np.where(pupils > 0, np.maximum(1, np.ceil(pupils / size)), 0).astype(np.int64)

    p_cls, j_cls = classes(p_st), classes(j_st)

    def teachers(pupils: np.ndarray, lo: float, hi: float) -> np.ndarray:
        mid = (lo + hi) / 2
        ratio = rng.uniform(mid - (mid - lo) * spread, mid + (hi - mid) * spread)
        ratio = np.where(is_tp, rng.uniform(6.0, 12.0, n), ratio)
        ratio = np.where(is_special, rng.uniform(3.0, 5.0, n), ratio)
        return np.where(pupils > 0, np.maximum(1, np.rint(pupils / ratio)), 0).astype(np.int64)

    p_tch, j_tch = teachers(p_st, 13.0, 20.0), teachers(j_st, 10.0, 14.5)

    def share(lo: float, hi: float) -> np.ndarray:
        return rng.uniform(lo, hi, n)

    cols: dict[str, Any] = {
        "p_students": p_st,
        "j_students": j_st,
        "s_students": s_st,
        "p_classes": p_cls,
        "j_classes": j_cls,
        "p_oversized": _binomial(rng, p_cls, np.where(~good & (rng.random(n) < 0.15), 0.2, 0.0)),
        "j_oversized": _binomial(rng, j_cls, np.where(~good & (rng.random(n) < 0.15), 0.2, 0.0)),
        "p_teachers": p_tch,
        "j_teachers": j_tch,
        "p_qualified": _binomial(rng, p_tch, share(0.80, 1.0)),
        "j_qualified": _binomial(rng, j_tch, share(0.75, 1.0)),
        "p_backbone": _binomial(rng, p_tch, np.where(good, share(0.14, 0.24), share(0.05, 0.30))),
        "j_backbone": _binomial(rng, j_tch, np.where(good, share(0.14, 0.22), share(0.05, 0.25))),
        "p_pe_art": _binomial(rng, p_tch, np.where(good, share(0.15, 0.2), share(0.08, 0.20))),
        "j_pe_art": _binomial(rng, j_tch, np.where(good, share(0.14, 0.18), share(0.08, 0.18))),
    }
    all_tch = p_tch + j_tch
    cols["certified"] = np.where(good, all_tch, _binomial(rng, all_tch, 0.995))
    cols["trained"] = np.where(good, all_tch, _binomial(rng, all_tch, rng.uniform(0.9, 1.0, n)))

    w1, w2, w3 = _FACILITY_WEIGHTS
    weighted = (p_st * w1 + j_st * w2 + s_st * w3) * county_level
    teach = np.round(weighted * rng.lognormal(np.log(6.5), 0.35 * spread) + 80.0, 2)
    cols["teach_area"] = teach
    # most schools have no indoor sports hall (blank → 0, as the reader stores it)
    cols["indoor_sports"] = np.where(
        rng.random(n) < 0.35, np.round(teach * rng.uniform(0.02, 0.12, n), 2), 0.0
    )
    cols["sports_ground"] = np.round(
        weighted * rng.lognormal(np.log(10.5), 0.45 * spread) + 200.0, 2
    )
    cols["equipment"] = np.round(weighted * rng.lognormal(np.log(2900.0), 0.45 * spread) / 1e4, 4)
    all_cls = p_cls + j_cls + np.ceil(s_st / 45.0).astype(np.int64)
    cols["mm_rooms"] = np.rint(all_cls * rng.uniform(0.8, 1.4, n)).astype(np.int64)
    needed = np.ceil((p_cls + j_cls) / 12.0).astype(np.int64)
    music = np.maximum(np.where(good, needed, 0), needed + rng.integers(-1, 2, n))
    art = np.maximum(np.where(good, needed, 0), needed + rng.integers(-1, 2, n))
    cols["music_rooms"] = music
    cols["music_ok"] = np.where(good, music, _binomial(rng, music, 0.9))
    cols["art_rooms"] = art
    cols["art_ok"] = np.where(good, art, _binomial(rng, art, 0.9))
    funds = np.round((p_st + j_st) * rng.uniform(650.0, 1100.0, n) / 1e4 + 2.0, 2)
    # model counties fund small schools as if they had 100 pupils (guarantee item 6)
    funds = np.where(good, np.maximum(funds, 9.0), funds)
    cols["public_funds"] = funds
    cols["training_funds"] = np.round(funds * np.where(good, 0.06, rng.uniform(0.035, 0.09, n)), 2)

    sponsor = np.where(rng.random(n) < 0.08, "民办", "公办").astype(object)
    sponsor[rng.random(n) < 0.03] = None  # blank = 公办
    frame = pl.DataFrame(cols).with_columns(
        _row=pl.int_range(2, n + 2, dtype=pl.Int64),
        _seq=pl.Series(seq),
        type=pl.Series(np.array(TYPE_CODES)[tcode]),
        urban_rural=pl.Series(np.array(URBAN_RURAL)[ur]),
        sponsor=pl.Series(sponsor, dtype=pl.String),
        boarding=pl.Series(rng.random(n) < np.where(ur == 2, 0.3, 0.05)),
        _has_p=pl.Series(has_p | (p_st > 0)),
        _has_j=pl.Series(has_j | (j_st > 0)),
        _has_s=pl.Series(has_s),
    )
    # gather rather than join: a join need not keep row order, and _row must follow it
    frame = frame.with_columns(
        county_code=meta["county_code"].gather(county_idx),
        county_name=meta["county_name"].gather(county_idx),
    )
    suffix = pl.col("type").replace_strict(_TYPE_SUFFIX, return_dtype=pl.String)
    c = pl.col
    frame = frame.with_columns(
        # 10-digit 学校标识码: unique by position
        code=(pl.lit(3_100_000_000, dtype=pl.Int64) + c("_row")).cast(pl.String),
        name=pl.concat_str(c("county_name"), pl.lit("第"), c("_seq").cast(pl.String), suffix),
        # stage counts of a stage the school does not have are blank (null), as in a sheet
        **{k: pl.when(c("_has_p")).then(c(k)) for k in cols if k.startswith("p_")},
        **{k: pl.when(c("_has_j")).then(c(k)) for k in cols if k.startswith("j_")},
        s_students=pl.when(c("_has_s")).then(c("s_students")),
    )
    schema = school_schema()
    return frame.select([c(k).cast(t) for k, t in schema.items()])


def _counties(rng: np.random.Generator, meta: pl.DataFrame, schools: pl.DataFrame) -> pl.DataFrame:
    """The 区县 sheet: plausible figures, mostly passing, some counties short on each item."""
    n = meta.height
    agg = (
        schools.group_by("county_code")
        .agg(
            junior=pl.col("j_students").sum(),
            teachers=(pl.col("p_teachers").fill_null(0) + pl.col("j_teachers").fill_null(0)).sum(),
        )
        .join(meta.select("county_code"), on="county_code", how="right")
        .select("junior", "teachers")
    )
    junior = agg["junior"].fill_null(0).to_numpy().astype(np.int64)
    teachers = agg["teachers"].fill_null(0).to_numpy().astype(np.int64)

    def yes(p: float) -> np.ndarray:
        return rng.random(n) < p

    graduates = np.maximum(1, junior // 3)
    entrants = np.rint(graduates * rng.uniform(0.97, 1.06, n)).astype(np.int64)
    transfers_in = _binomial(rng, graduates, 0.02)
    transfers_out = _binomial(rng, entrants, 0.015)
    eligible = np.rint(teachers * rng.uniform(0.3, 0.5, n)).astype(np.int64)
    rotated = _binomial(rng, eligible, rng.uniform(0.08, 0.16, n))
    quota = np.rint(junior / 3 * rng.uniform(0.3, 0.5, n)).astype(np.int64)
    allocated = _binomial(rng, quota, rng.uniform(0.45, 0.7, n))
    migrant = _binomial(rng, np.maximum(1, junior), 0.08)
    migrant_public = _binomial(rng, migrant, rng.uniform(0.75, 0.95, n))
    disabled = np.maximum(5, np.rint(junior * rng.uniform(0.002, 0.006, n))).astype(np.int64)
    population = np.round(rng.lognormal(np.log(45.0), 0.6, n), 2)
    survey_total = np.rint(
        np.maximum(600, population * 1e4 * 1.5 / 1000) * rng.uniform(0.95, 1.3, n)
    ).astype(np.int64)
    survey_valid = _binomial(rng, survey_total, rng.uniform(0.85, 0.99, n))
    visits = rng.integers(50, 400, n)
    survey_satisfied = _binomial(rng, survey_valid, rng.uniform(0.8, 0.97, n))
    # parents answer about half the questionnaires and are visited about half the time
    parent_total = _binomial(rng, survey_total, 0.5)
    parent_valid = np.minimum(_binomial(rng, parent_total, 0.95), survey_valid)
    parent_visits = _binomial(rng, visits, 0.5)
    special_students = rng.integers(20, 300, n)
    cols: dict[str, Any] = {
        "year": np.full(n, 2024),
        "population": population,
        "basic_year": rng.integers(2013, 2022, n),
        "layout_ok": yes(0.97),
        "four_unified": yes(0.97),
        "staffing_pooled": yes(0.95),
        "small_funds": None,  # taken from the 学校 sheet when blank
        "small_students": None,
        "special_funds": np.round(special_students * rng.uniform(5_500, 9_000, n) / 1e4, 2),
        "special_students": special_students,
        "teacher_pay": np.round(rng.normal(98_000, 15_000, n), 0),
        "civil_pay": np.round(rng.normal(95_000, 15_000, n), 0),
        "merit_pay_full": yes(0.96),
        "rotation_eligible": eligible,
        "rotated": rotated,
        "rotated_backbone": _binomial(rng, rotated, rng.uniform(0.15, 0.35, n)),
        "nearby_primary": np.where(yes(0.95), 100.0, np.round(rng.uniform(97.0, 100.0, n), 1)),
        "nearby_junior": np.round(rng.uniform(93.0, 100.0, n), 1),
        "quota_total": quota,
        "quota_allocated": allocated,
        "quota_rural": _binomial(rng, allocated, rng.uniform(0.4, 0.8, n)),
        "left_behind_care": yes(0.98),
        "migrant_eligible": migrant,
        "migrant_public": migrant_public,
        "migrant_funded": _binomial(rng, migrant - migrant_public, 0.5),
        "graduates": graduates,
        "entrants": entrants,
        "transfers_in": transfers_in,
        "transfers_out": transfers_out,
        "deaths": _binomial(rng, entrants, 0.0005),
        "disabled_children": disabled,
        "disabled_enrolled": _binomial(rng, disabled, rng.uniform(0.9, 1.0, n)),
        "charter_it": yes(0.97),
        "it_teaching": yes(0.97),
        "moral_culture": yes(0.98),
        "curriculum": yes(0.97),
        "no_overload": yes(0.96),
        "monitor_level": rng.choice([2, 3, 4], n, p=[0.08, 0.52, 0.40]),
        "monitor_diff": np.round(rng.uniform(0.03, 0.18, n), 3),
        "survey_total": survey_total,
        "survey_valid": survey_valid,
        "survey_satisfied": survey_satisfied,
        "visits": visits,
        "visits_satisfied": _binomial(rng, visits, rng.uniform(0.8, 0.98, n)),
        "parent_survey_total": parent_total,
        "parent_survey_valid": parent_valid,
        "parent_survey_satisfied": np.minimum(
            _binomial(rng, parent_valid, survey_satisfied / np.maximum(survey_valid, 1)),
            survey_satisfied,
        ),
        "parent_visits": parent_visits,
        "parent_visits_satisfied": _binomial(rng, parent_visits, rng.uniform(0.8, 0.98, n)),
        "basic_monitoring_good": yes(0.97),
        **{k: yes(0.01) for k in ("veto_exam", "veto_choice", "veto_key_school")},
        **{k: yes(0.01) for k in ("veto_unfilled", "veto_accident", "veto_falsified")},
        "veto_tutoring": yes(0.01),
        "benchmark_primary": None,  # blank: the standard's benchmark applies
        "benchmark_junior": None,
    }
    schema = county_schema()
    frame = meta.with_columns(
        _row=pl.int_range(2, n + 2, dtype=pl.Int64),
        **{k: pl.Series(k, v) if v is not None else pl.lit(None) for k, v in cols.items()},
    )
    return frame.select([pl.col(k).cast(t) for k, t in schema.items()])


def generate(
    n_counties: int = N_COUNTIES, n_schools: int = N_SCHOOLS, seed: int = SEED
) -> Synthetic:
    """*n_schools* schools in *n_counties* counties, the same for the same seed."""
    rng = np.random.default_rng(seed)
    sizes = _county_sizes(rng, n_counties, n_schools)
    meta = _counties_meta(rng, n_counties)
    schools = _schools(rng, meta, sizes)
    counties = _counties(rng, meta, schools)
    assert schools.schema == pl.Schema(school_schema()), "school frame drifted from the contract"
    assert counties.schema == pl.Schema(county_schema()), "county frame drifted from the contract"
    return Synthetic(schools, counties)


def scaled(n_counties: int, seed: int = SEED) -> Synthetic:
    """The national mix at *n_counties* counties (same schools per county on average)."""
    return generate(n_counties, round(N_SCHOOLS * n_counties / N_COUNTIES), seed)


if __name__ == "__main__":
    import time

    t0 = time.perf_counter()
    syn = generate()
    took = time.perf_counter() - t0
    print(f"{syn.schools.height:,} schools in {syn.counties.height:,} counties: {took:.2f} s")
    print(syn.schools.group_by("type").len().sort("len", descending=True))
    print(syn.schools.head(3))
