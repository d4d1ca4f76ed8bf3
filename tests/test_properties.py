"""Properties of the student-weighted 差异系数 (hypothesis)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import primary_school, run

schools_st = st.lists(
    st.tuples(st.integers(60, 3000), st.floats(1.0, 40.0)),  # (pupils, m² per pupil)
    min_size=2,
    max_size=8,
)


def _county(pairs, scale=1.0, code="370830"):
    return [
        primary_school(
            i,
            p,
            sports_ground=x * p * scale,
            code=f"1{code}{i:03d}",
            county_code=code,
            county_name=f"县{code}",
        )
        for i, (p, x) in enumerate(pairs, start=1)
    ]


def _cv(ev, code="370830"):
    return ev.county(code).resource.stages["primary"].cv["sports_area"]


def _weighted_cv(pairs):
    n = sum(p for p, _ in pairs)
    mean = sum(p * x for p, x in pairs) / n
    return math.sqrt(sum(p * (x - mean) ** 2 for p, x in pairs) / n) / mean


@settings(max_examples=40, deadline=None)
@given(schools_st)
def test_cv_matches_the_weighted_formula(pairs):
    assert math.isclose(_cv(run(_county(pairs))), _weighted_cv(pairs), rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=30, deadline=None)
@given(schools_st, st.floats(0.1, 50.0))
def test_cv_is_scale_invariant(pairs, k):
    a = _cv(run(_county(pairs)))
    b = _cv(run(_county(pairs, scale=k)))
    assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.integers(60, 3000), st.floats(1.0, 40.0), st.integers(2, 8))
def test_cv_is_zero_for_identical_schools(pupils, x, n):
    assert math.isclose(_cv(run(_county([(pupils, x)] * n))), 0.0, abs_tol=1e-12)


@settings(max_examples=30, deadline=None)
@given(schools_st)
def test_cv_unchanged_by_duplicating_the_whole_county(pairs):
    once = _cv(run(_county(pairs)))
    twice = _county(pairs) + [
        {**s, "code": f"1370830{i + 100:03d}", "name": f"复制{i}"}
        for i, s in enumerate(_county(pairs))
    ]
    assert math.isclose(once, _cv(run(twice)), rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=15, deadline=None)
@given(schools_st, schools_st)
def test_counties_are_evaluated_independently(a, b):
    ev = run(_county(a, code="370830") + _county(b, code="370831"))
    assert math.isclose(_cv(ev, "370830"), _weighted_cv(a), rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(_cv(ev, "370831"), _weighted_cv(b), rel_tol=1e-9, abs_tol=1e-12)
