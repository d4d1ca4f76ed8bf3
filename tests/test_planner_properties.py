"""Applying a plan to random counties and re-running the engine always passes the resource part;
under random limits, a plan either passes or says what still fails and which limit binds."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import junior_school, primary_school
from junheng import evaluate, load_standard
from junheng.planner import load_costs, plan
from junheng.planner.apply import apply_additions
from junheng.planner.report import plan_dict
from junheng.reader import dataset_from_records

STD = load_standard("national-2017")
_scale = st.floats(min_value=0.3, max_value=1.6)


@st.composite
def county(draw: st.DrawFn) -> list[dict[str, object]]:
    schools = []
    for n in range(draw(st.integers(2, 6))):
        pupils = draw(st.integers(120, 2000))
        make = primary_school if draw(st.booleans()) else junior_school
        rec = make(n + 1 if make is primary_school else 101 + n, pupils)
        t = rec.get("p_teachers") or rec["j_teachers"]
        pre = "p" if "p_teachers" in rec else "j"
        for k in ("qualified", "backbone", "pe_art"):
            rec[f"{pre}_{k}"] = min(t, int(rec[f"{pre}_{k}"] * draw(_scale)))
        for k in ("teach_area", "sports_ground", "equipment"):
            rec[k] = rec[k] * draw(_scale)
        rec["mm_rooms"] = int(rec["mm_rooms"] * draw(_scale))
        schools.append(rec)
    return schools


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(county())
def test_applied_plan_always_passes_the_engine(schools):
    data = dataset_from_records(schools, None, STD)
    p = plan(data, STD, load_costs(), time_limit=20)
    assert p.reached
    ev = evaluate(apply_additions(data, p.additions), STD)
    assert all(c.resource.passed for c in ev.counties)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(county(), st.data())
def test_under_limits_a_plan_passes_the_engine_or_says_what_fails_and_why(schools, data):
    codes = [s["code"] for s in schools]
    blocked = data.draw(st.sets(st.sampled_from(codes), max_size=len(codes)))
    cap = data.draw(st.sampled_from([0, 200_000, 2_000_000]))
    budget = data.draw(st.sampled_from([None, 500_000, 5_000_000]))
    costs = load_costs().with_changes(cannot_build=frozenset(blocked), max_per_school=cap)
    records = dataset_from_records(schools, None, STD)
    p = plan(records, STD, costs, budget=budget, time_limit=20)
    d = plan_dict(p)
    assert budget is None or d["total_cost"] <= budget
    spent = {s["code"]: s["cost"] for s in d["schools"]}
    assert cap == 0 or all(v <= cap for v in spent.values())
    built = {a["code"] for a in d["actions"] if a["action"] in ("teaching_area", "sports_area",
                                                                "equipment", "multimedia_room")}  # fmt: skip
    assert not built & blocked
    ev = evaluate(apply_additions(records, p.additions), STD)
    [county_] = d["counties"]
    assert ev.counties[0].resource.passed is p.reached is county_["passes"]
    if not p.reached:
        assert county_["still_failing"] and county_["why"]
