"""The 区县 sheet row of a demo county, consistent with its schools."""

from __future__ import annotations

import math
import random

from .names import County
from .schools import BENCHMARK, Record

YEAR = 2026


def _sum(records: list[Record], key: str) -> int:
    return sum(r.get(key) or 0 for r in records)


def county_record(
    rng: random.Random, county: County, schools: list[Record], scenario: str
) -> Record:
    """Every county column filled with figures that pass, except the designed failure."""
    rec: Record = {"county_code": county.code, "county_name": county.name, "city": county.city,
                   "province": county.province, "year": YEAR}  # fmt: skip
    if scenario == "blank":  # a bureau that sent only its school list
        return rec
    u = rng.uniform
    compulsory = _sum(schools, "p_students") + _sum(schools, "j_students")
    junior = _sum(schools, "j_students")
    rural_junior = _sum([s for s in schools if s["urban_rural"] == "乡村"], "j_students")
    teachers = _sum(schools, "p_teachers") + _sum(schools, "j_teachers")
    ordinary = [s for s in schools if s["type"] != "特殊教育学校"]
    small = [
        s for s in ordinary if 0 < (s.get("p_students") or 0) + (s.get("j_students") or 0) < 100
    ]
    special = [s for s in schools if s["type"] == "特殊教育学校"]
    special_pupils = _sum(special, "p_students") + _sum(special, "j_students")
    # compulsory pupils are about a tenth of the residents
    population = round(compulsory / u(0.08, 0.12) / 10_000, 2)
    civil_pay = round(u(78_000, 105_000), -2)
    eligible = round(teachers * u(0.55, 0.75))
    rotated = math.ceil(eligible * u(0.11, 0.16))
    quota = round(junior / 3 * u(0.45, 0.6))
    allocated = math.ceil(quota * u(0.52, 0.68))
    rural_share = rural_junior / junior if junior else 0.0
    migrants = round(compulsory * u(0.03, 0.08))
    entrants = round(junior / 3 * u(1.0, 1.04))
    deaths = rng.randint(0, 3)
    t_in, t_out = round(entrants * u(0.01, 0.03)), round(entrants * u(0.01, 0.03))
    retention = u(0.91, 0.935) if scenario == "retention" else u(0.962, 0.99)
    disabled_enrolled = math.ceil(special_pupils / u(0.45, 0.65))
    sample = math.ceil(population * 15)  # 1.5‰ of residents, at least 600 below 400,000
    if population < 40:
        sample = max(sample, 600)
    surveys = math.ceil(sample * u(1.05, 1.3))
    valid = math.floor(surveys * u(0.9, 0.98))
    satisfied = u(0.76, 0.82) if scenario == "recognition" else u(0.88, 0.96)
    visits = rng.randint(150, 400)
    rec |= {
        "population": population, "basic_year": rng.randint(2013, 2020),
        "layout_ok": True, "four_unified": True, "staffing_pooled": True,
        "small_funds": round(sum(s["public_funds"] for s in small), 2),
        "small_students": _sum(small, "p_students") + _sum(small, "j_students"),
        "special_funds": round(sum(s["public_funds"] for s in special), 2),
        "special_students": special_pupils,
        "teacher_pay": civil_pay + round(u(800, 6000), -2), "civil_pay": civil_pay,
        "merit_pay_full": True, "rotation_eligible": eligible, "rotated": rotated,
        "rotated_backbone": math.ceil(rotated * u(0.22, 0.32)),
        "nearby_primary": 100.0, "nearby_junior": round(u(95.5, 99.8), 1),
        "quota_total": quota, "quota_allocated": allocated,
        "quota_rural": min(allocated, math.ceil(allocated * (rural_share + u(0.03, 0.1)))),
        "left_behind_care": True, "migrant_eligible": migrants,
        "migrant_public": math.ceil(migrants * u(0.86, 0.93)),
        "migrant_funded": math.floor(migrants * u(0.02, 0.06)),
        "graduates": math.ceil(retention * (entrants - deaths)) + t_in - t_out,
        "entrants": entrants, "transfers_in": t_in, "transfers_out": t_out, "deaths": deaths,
        "disabled_children": max(disabled_enrolled, math.floor(disabled_enrolled / u(0.96, 0.99))),
        "disabled_enrolled": disabled_enrolled,
        "charter_it": True, "it_teaching": True, "moral_culture": True, "curriculum": True,
        "no_overload": True, "monitor_level": rng.choice(("Ⅲ", "Ⅳ")),
        "monitor_diff": round(u(0.06, 0.13), 3),
        "survey_total": surveys, "survey_valid": valid,
        "survey_satisfied": math.ceil(valid * satisfied) if scenario != "recognition"
        else math.floor(valid * satisfied),
        "visits": visits, "visits_satisfied": math.ceil(visits * u(0.88, 0.97)),
        "veto_exam": False, "veto_choice": False, "veto_key_school": scenario == "veto",
        "veto_unfilled": False, "veto_accident": False, "veto_falsified": False,
        "veto_tutoring": False, "basic_monitoring_good": True,
        "benchmark_primary": BENCHMARK["primary"], "benchmark_junior": BENCHMARK["junior"],
    }  # fmt: skip
    # parents: a little over half of the questionnaires and visits (no random draw, so the
    # other figures stay as they were for a given seed)
    p_valid = valid * 11 // 20
    p_visits = visits // 2
    rec |= {
        "parent_survey_total": surveys * 11 // 20, "parent_survey_valid": p_valid,
        "parent_survey_satisfied": rec["survey_satisfied"] * p_valid // valid,
        "parent_visits": p_visits,
        "parent_visits_satisfied": rec["visits_satisfied"] * p_visits // visits,
    }  # fmt: skip
    return rec
