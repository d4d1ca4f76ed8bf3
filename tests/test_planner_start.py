"""The start handed to the solver between rounds of cuts: a complete, feasible plan."""

from __future__ import annotations

import math

import numpy as np

from conftest import primary_school
from junheng import load_standard
from junheng.engine.frames import evaluate_frames
from junheng.planner import load_costs
from junheng.planner.cone import add_cones
from junheng.planner.cuts import county_cvs
from junheng.planner.model import build
from junheng.planner.solve import CV_SLACK
from junheng.planner.start import complete
from junheng.reader import dataset_from_records

STD = load_standard("national-2017")


def _problem():
    """Three schools of 1000 pupils with 30, 8, 8 ㎡ of sports ground each: CV 0.676."""
    schools = [primary_school(1, sports_ground=30_000.0), primary_school(2, sports_ground=8_000.0),
               primary_school(3, sports_ground=8_000.0)]  # fmt: skip
    long = evaluate_frames(dataset_from_records(schools, None, STD), STD).school_stages
    prob = build(long, STD, load_costs(), closest=False)
    j = 4  # sports_area
    cones = {(c.g, c.j): c for c in add_cones(prob, [(0, j)], prob.cv_max - CV_SLACK, None)}
    return prob, cones, j


def test_a_plan_breaking_a_cv_is_lifted_and_its_model_columns_filled():
    prob, cones, j = _problem()
    x = np.zeros(prob.model.n)
    start = complete(prob, x, cones)
    assert start is not None
    values = prob.values(start)
    # both weak schools lifted to at least y = (60√2 − 30)/(2 + 2√2) = 11.3604 ㎡ a pupil
    y = (60 * math.sqrt(2) - 30) / (2 + 2 * math.sqrt(2))
    assert values[0, j] == 30.0
    assert (values[1:, j] >= y).all()
    assert county_cvs(prob, values)[0, j] <= 0.5
    # the cone's columns: the mean and each school's (X − X̄)²/X̄, at least
    cone = cones[(0, j)]
    mean = float(values[:, j].mean())  # equal pupils: the plain mean
    assert math.isclose(start[cone.mean], mean, rel_tol=1e-12)
    assert (start[cone.z] >= (values[:, j] - mean) ** 2 / mean).all()
    # every school meets all seven, so every "met" column is 1
    assert (start[prob.met] == 1.0).all() and (start[prob.passes] == 1.0).all()


def test_the_start_stays_within_the_columns_bounds():
    prob, cones, _ = _problem()
    start = complete(prob, np.zeros(prob.model.n), cones)
    assert start is not None
    lb, ub = np.concatenate(prob.model.lb), np.concatenate(prob.model.ub)
    assert (start >= lb - 1e-9).all() and (start <= ub + 1e-9).all()
