"""The designed outcome of each demo county, and the school changes that produce it."""

from __future__ import annotations

import math

from .names import County
from .schools import WEIGHTS, Plan, Record, build_record

SCENARIOS: tuple[str, ...] = (
    "pass", "floor", "cv", "oversized", "retention", "recognition", "veto", "blank",
)  # fmt: skip
SCENARIO_TITLES = {
    "pass": "各项均达标，可认定",
    "floor": "一所小学一项资源指标低于标准的85%",
    "cv": "小学生均体育运动场馆面积的学生加权差异系数超过0.50",
    "oversized": "存在大班额",
    "retention": "初中三年巩固率低于95%",
    "recognition": "社会认可度低于85%",
    "veto": "一票否决：重点校或重点班",
    "blank": "区县表基本未填报，多项无法评估",
}
FLOOR_FACTOR = 0.78
"""Below the 85% floor by a margin no rounding can close."""
CROWDED_FACTOR = 0.88
CV_TARGET = 0.56
PLAIN_CV_MAX = 0.45
"""The unweighted CV the cv county aims to stay under, to show why weighting matters."""
REALISTIC_BOOST = 5.0
"""Roomy schools get up to about 40 m² of sports ground per pupil, as rural schools do."""


def scenario_for(index: int) -> str:
    """The first counties take the scenarios in order; later ones alternate pass and a failure."""
    if index < len(SCENARIOS):
        return SCENARIOS[index]
    j = index - len(SCENARIOS)
    return "pass" if j % 2 == 0 else SCENARIOS[1 + (j // 2) % (len(SCENARIOS) - 1)]


def _clean(plan: Plan) -> None:
    """No incidental shortfall: the designed one must be the only reason."""
    for k, f in plan.factor.items():
        plan.factor[k] = max(f, 1.04)


def _by_size(plans: list[Plan], type_: str) -> list[Plan]:
    return sorted((p for p in plans if p.type == type_), key=lambda p: -sum(p.students.values()))


def primary_sports_cv(records: list[Record]) -> tuple[float, float]:
    """(student-weighted, plain) CV of primary sports area, computed as the engine does."""
    vals = []
    for r in records:
        pupils = r.get("p_students") or 0
        if r["type"] == "特殊教育学校" or not pupils or (r["type"] == "教学点" and pupils < 50):
            continue
        w = sum(WEIGHTS[s] * (r.get(f"{s[0]}_students") or 0) for s in WEIGHTS)
        vals.append((pupils, (r["sports_ground"] + r["indoor_sports"]) / w))
    n = sum(p for p, _ in vals)
    mean = sum(p * x for p, x in vals) / n
    weighted = math.sqrt(sum(p * (x - mean) ** 2 for p, x in vals) / n) / mean
    plain_mean = sum(x for _, x in vals) / len(vals)
    plain = math.sqrt(sum((x - plain_mean) ** 2 for _, x in vals) / len(vals)) / plain_mean
    return weighted, plain


def _crowd(plans: list[Plan], county: County) -> None:
    """The biggest primary schools short of sports ground, the smaller ones with plenty.

    Every school still passes and most sit close together, so the plain CV stays low;
    weighted by pupils the big schools dominate and the CV goes over 0.50. The fewest big
    schools and the least ground that achieve this are used.
    """
    primary = [p for p in plans if not p.outside_resource and p.students.get("primary")]
    ranked = _by_size(plans, "小学")
    original = {id(p): dict(p.factor) for p in primary}

    def attempt(k: int, max_boost: float) -> tuple[float, float]:
        for p in primary:
            p.factor = dict(original[id(p)])
        for p in ranked[:k]:
            _clean(p)
            p.factor["sports_area"] = CROWDED_FACTOR
        roomy = [p for p in primary if p.type in ("小学", "教学点") and p not in ranked[:k]]
        boost = 2.5
        while True:
            for p in roomy:  # keep each school's own spread around the boosted level
                p.factor["sports_area"] = boost * original[id(p)]["sports_area"] / 1.25
            cvs = primary_sports_cv([build_record(p, county, 0) for p in primary])
            if cvs[0] > CV_TARGET or boost > max_boost:
                return cvs
            boost *= 1.1

    for max_boost in (REALISTIC_BOOST, 50.0):
        fallback = None
        for k in range(1, len(ranked)):
            weighted, plain = attempt(k, max_boost)
            if weighted > CV_TARGET:
                if plain <= PLAIN_CV_MAX:
                    return
                fallback = fallback or k
        if fallback:
            attempt(fallback, max_boost)
            return


def apply_scenario(plans: list[Plan], county: County, scenario: str) -> list[Record]:
    """School records of one county, changed so the county shows *scenario*."""
    if scenario == "floor":
        target = next((p for p in plans if p.type == "小学" and p.urban_rural == "镇区"),
                      _by_size(plans, "小学")[0])  # fmt: skip
        _clean(target)
        target.factor["equipment_value"] = FLOOR_FACTOR
    elif scenario == "cv":
        _crowd(plans, county)
    elif scenario == "oversized":
        for type_, stage, size in (("小学", "primary", 46.5), ("初中", "junior", 51.5)):
            big = _by_size(plans, type_)[0]
            big.class_size[stage] = size
            big.oversized_share = 0.6
    return [build_record(p, county, i) for i, p in enumerate(plans, 1)]
