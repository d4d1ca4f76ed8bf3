"""The demo province: deterministic, well-formed, and each county fails for its designed reason."""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from junheng.contract import CONSISTENCY, COUNTY_COLUMNS, SCHOOL_TYPES
from junheng.demo import SCENARIOS, demo_records, scenario_for, write_demo
from junheng.engine.api import evaluate_file
from junheng.results import CountyResult, Evaluation


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory: pytest.TempPathFactory) -> Evaluation:
    path = write_demo(tmp_path_factory.mktemp("demo") / "demo.xlsx")
    return evaluate_file(path)


def _by_scenario(ev: Evaluation) -> dict[str, CountyResult]:
    assert len(ev.counties) == len(SCENARIOS)
    # codes are issued in demo order, and the engine reports counties by code
    return dict(zip(SCENARIOS, ev.counties, strict=True))


def test_same_seed_same_records() -> None:
    assert demo_records(5, seed=7) == demo_records(5, seed=7)
    assert demo_records(5, seed=7) != demo_records(5, seed=8)


def test_codes_and_names_well_formed() -> None:
    schools, counties = demo_records(30, seed=11)
    codes = [c["county_code"] for c in counties]
    assert len(set(codes)) == len(codes) == 30
    assert all(re.fullmatch(r"\d{6}", c) for c in codes)
    assert len({c[:2] for c in codes}) == 1  # one province
    assert 2 <= len({c["city"] for c in counties}) <= 4
    assert codes == sorted(codes)
    names = [c["county_name"] for c in counties]
    assert len(set(names)) == len(names)
    assert all(n[-1] in "县区市" for n in names)
    school_codes = [s["code"] for s in schools]
    assert len(set(school_codes)) == len(school_codes)
    for s in schools:
        assert re.fullmatch(r"1\d{9}", s["code"])
        assert s["code"][1:7] == s["county_code"]
    per_county = Counter(s["county_code"] for s in schools)
    assert set(per_county) == set(codes)
    assert all(10 <= n <= 40 for n in per_county.values())
    for code in codes:
        names = [s["name"] for s in schools if s["county_code"] == code]
        assert len(set(names)) == len(names)


@pytest.mark.parametrize("n", [1, 8])
def test_every_school_type_present(n: int) -> None:
    schools, _ = demo_records(n)
    assert {s["type"] for s in schools} == set(SCHOOL_TYPES)
    points = [s["p_students"] for s in schools if s["type"] == "教学点"]
    assert min(points) < 50 <= max(points)
    assert {s["sponsor"] for s in schools} == {"公办", "民办"}
    assert {s["urban_rural"] for s in schools} == {"城区", "镇区", "乡村"}
    assert {s["boarding"] for s in schools} == {True, False}


def test_records_internally_consistent() -> None:
    schools, counties = demo_records(16, seed=3)
    for s in schools:
        teachers = (s.get("p_teachers") or 0) + (s.get("j_teachers") or 0)
        for part, whole in CONSISTENCY:
            if part in s:
                total = teachers if whole == "teachers" else s[whole]
                assert s[part] <= total, (s["name"], part)
        for p, (lo, hi) in {"p": (35, 48), "j": (40, 52)}.items():
            if s["type"] in ("小学", "初中", "九年一贯制学校") and s.get(f"{p}_students", 0) >= 400:
                assert lo - 2 <= s[f"{p}_students"] / s[f"{p}_classes"] <= hi, s["name"]
        assert s["training_funds"] >= 0.05 * s["public_funds"]
    keys = {c.key for c in COUNTY_COLUMNS}
    for i, c in enumerate(counties):
        if scenario_for(i) != "blank":
            assert set(c) == keys
            assert c["year"] == 2026 and 2013 <= c["basic_year"] <= 2020
            assert c["survey_total"] >= max(
                c["population"] * 15, 600 if c["population"] < 40 else 0
            )
            assert c["survey_valid"] >= 0.7 * c["survey_total"]
            assert not any(c[k] for k in keys if k.startswith("veto_")) or scenario_for(i) == "veto"


def test_scenario_cycle() -> None:
    assert [scenario_for(i) for i in range(8)] == list(SCENARIOS)
    later = [scenario_for(i) for i in range(8, 22)]
    assert later[0::2] == ["pass"] * 7
    assert later[1::2] == list(SCENARIOS[1:])


def test_first_county_recognised(evaluation: Evaluation) -> None:
    county = _by_scenario(evaluation)["pass"]
    assert county.recognised
    assert county.reasons == []


def test_failing_counties_fail_for_one_reason(evaluation: Evaluation) -> None:
    for scenario, county in _by_scenario(evaluation).items():
        if scenario not in ("pass", "blank"):
            assert not county.recognised, scenario
            assert len(county.reasons) == 1, (scenario, county.reasons)


def test_floor_scenario(evaluation: Evaluation) -> None:
    county = _by_scenario(evaluation)["floor"]
    failing = [s for s in county.resource.schools if not s.passed]
    assert [(s.stage, s.met, s.below_floor) for s in failing] == [
        ("primary", 6, ["equipment_value"])
    ]
    assert all(all(st.cv_pass.values()) for st in county.resource.stages.values())
    assert "85%" in county.reasons[0] and failing[0].name in county.reasons[0]


def _cv(values: list[float], weights: list[float]) -> float:
    n = sum(weights)
    mean = sum(w * x for w, x in zip(weights, values, strict=True)) / n
    var = sum(w * (x - mean) ** 2 for w, x in zip(weights, values, strict=True)) / n
    return math.sqrt(var) / mean


def test_cv_scenario_fails_on_the_weighted_cv(evaluation: Evaluation) -> None:
    county = _by_scenario(evaluation)["cv"]
    stage = county.resource.stages["primary"]
    assert [k for k, ok in stage.cv_pass.items() if not ok] == ["sports_area"]
    assert stage.cv["sports_area"] is not None and stage.cv["sports_area"] > 0.5
    assert all(s.passed for s in county.resource.schools)
    assert "生均体育运动场馆面积" in county.reasons[0]
    schools = [s for s in county.resource.schools if s.stage == "primary"]
    values = [s.values["sports_area"] for s in schools]
    weighted = _cv(values, [s.students for s in schools])
    assert weighted == pytest.approx(stage.cv["sports_area"])
    # an unweighted CV would have let this county through
    assert _cv(values, [1.0] * len(values)) <= 0.5 < weighted


def test_oversized_scenario(evaluation: Evaluation) -> None:
    county = _by_scenario(evaluation)["oversized"]
    item = county.guarantee.items[4]
    assert item.key == "class_size" and item.passed is False
    assert "班级" in county.reasons[0]


def test_retention_scenario(evaluation: Evaluation) -> None:
    county = _by_scenario(evaluation)["retention"]
    assert county.quality.items[0].key == "retention"
    assert county.quality.items[0].passed is False
    assert "巩固率" in county.reasons[0]


def test_recognition_scenario(evaluation: Evaluation) -> None:
    county = _by_scenario(evaluation)["recognition"]
    assert county.recognition.passed is False
    assert "社会认可度" in county.reasons[0]


def test_veto_scenario(evaluation: Evaluation) -> None:
    county = _by_scenario(evaluation)["veto"]
    assert county.vetoes == ["重点校或重点班"]
    assert "一票否决" in county.reasons[0]


def test_blank_scenario(evaluation: Evaluation) -> None:
    county = _by_scenario(evaluation)["blank"]
    assert not county.recognised
    items = [*county.guarantee.items, *county.quality.items, *county.recognition.items]
    assert all(it.passed is not False for it in items)
    assert sum(it.passed is None for it in items) >= 10
    assert county.recognition.passed is None
    assert county.resource.passed is True
    # every reason is about missing data, none about a failed item
    missing = ("未评估", "未填报", "未审查")
    assert county.reasons and all(any(m in r for m in missing) for r in county.reasons)


@pytest.mark.parametrize("seed", [0, 1, 99])
def test_outcomes_do_not_depend_on_seed(tmp_path: Path, seed: int) -> None:
    ev = evaluate_file(write_demo(tmp_path / "demo.xlsx", counties=16, seed=seed))
    for i, county in enumerate(ev.counties):
        scenario = scenario_for(i)
        assert county.recognised is (scenario == "pass"), (seed, scenario, county.reasons)
        if scenario not in ("pass", "blank"):
            assert len(county.reasons) == 1, (seed, scenario, county.reasons)


def test_hundred_counties_fast(tmp_path: Path) -> None:
    start = time.perf_counter()
    path = write_demo(tmp_path / "big.xlsx", counties=100)
    assert time.perf_counter() - start < 10
    ev = evaluate_file(path)
    assert Counter(c.recognised for c in ev.counties)[True] == sum(
        scenario_for(i) == "pass" for i in range(100)
    )
