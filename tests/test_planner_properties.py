"""Applying a plan to random counties and re-running the engine always passes the resource part."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import junior_school, primary_school
from junheng import evaluate, load_standard
from junheng.planner import load_costs, plan
from junheng.planner.apply import apply_additions
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
