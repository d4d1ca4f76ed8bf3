"""Solving with cuts: HiGHS runs, a cut for every CV above its limit, again until the CVs hold;
first at the LP relaxation, then the integer programme; under a budget or when compliance is out
of reach, the most school-stages and CVs met first and then the least money for that many."""

from __future__ import annotations

import math
import time

import highspy
import numpy as np

from ..standard import RESOURCE_KEYS
from .cone import Cone, add_cones, refine
from .cuts import county_cvs
from .highs import _add_row, _highs, _objective, _whole_units, add_cut
from .model import F, I, Problem
from .result import Solution
from .start import complete, give

CV_SLACK = 1e-4
"""Cuts aim this far under each CV limit, so a plan rounded to whole ㎡ and 元 still passes."""
MAX_ROUNDS = 60
LP_ROUNDS = 30
LP_SHARE = 0.7
"""At most this share of the time goes to cuts at the LP relaxation before the MILP."""


def _solve_cuts(
    h: highspy.Highs, prob: Problem, ok: I | None, ub: F, deadline: float, rounds: int,
    cones: dict[tuple[int, int], Cone],
) -> Solution | None:  # fmt: skip
    """Solve, add a cut for every CV above its limit, repeat; None if infeasible."""
    limit = prob.cv_max[:, None] - CV_SLACK
    # past the deadline a plan breaking a CV is no plan: a few short rounds more, each taking
    # the solver's best so far, until the CVs hold (the time and gap are reported as they are)
    overtime = deadline + max(deadline - time.monotonic(), 5.0)
    while True:
        left = deadline - time.monotonic()
        h.setOptionValue("time_limit", left if left > 1.0 else 2.0)
        h.run()
        status = h.getModelStatus()
        name = h.modelStatusToString(status)
        sol = np.asarray(h.getSolution().col_value, dtype=float)
        if status == highspy.HighsModelStatus.kInfeasible or len(sol) == 0:
            return None
        gap = float(h.getInfo().mip_gap)
        values = prob.values(sol)
        cvs = county_cvs(prob, values)
        active = np.ones_like(cvs, dtype=bool) if ok is None else sol[ok] > 0.5
        bad = np.argwhere(active & (cvs > prob.cv_max[:, None] - CV_SLACK / 10))
        rounds += 1
        if len(bad) == 0 or rounds >= MAX_ROUNDS or time.monotonic() > overtime:
            done = (
                "最优" if status == highspy.HighsModelStatus.kOptimal else f"未证明最优（{name}）"
            )
            bound = float(h.getInfo().mip_dual_bound)
            return Solution(sol, done, gap if math.isfinite(gap) else 1.0, rounds,
                            bound if math.isfinite(bound) else 0.0)  # fmt: skip
        for g, j in bad:
            cone = cones.get((int(g), int(j)))
            if cone is not None:
                refine(h, prob, cone, sol, values)
            add_cut(h, prob, values, int(g), int(j), float(limit[g, 0]), ok, ub)
        if ok is None:
            start = complete(prob, sol, cones)
            if start is not None:
                give(h, start)


def _lp_rounds(
    h: highspy.Highs, prob: Problem, ok: I | None, ub: F, deadline: float,
    cones: dict[tuple[int, int], Cone],
) -> None:  # fmt: skip
    """Tangents at the LP relaxation's optima before any branching (Kelley's loop).

    An LP takes a fraction of a second where a MILP round takes seconds: most of the cuts the
    MILP would otherwise need one round each for are found here, around the relaxation's
    optimum, which the integer plan is near.
    """
    h.setOptionValue("solve_relaxation", True)
    limit = prob.cv_max[:, None] - CV_SLACK
    stop = time.monotonic() + LP_SHARE * max(deadline - time.monotonic(), 0.0)
    try:
        for _ in range(LP_ROUNDS):
            if time.monotonic() > stop:
                break
            h.setOptionValue("time_limit", max(stop - time.monotonic(), 0.2))
            h.run()
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                break
            sol = np.asarray(h.getSolution().col_value, dtype=float)
            values = prob.values(sol)
            cvs = county_cvs(prob, values)
            active = np.ones_like(cvs, dtype=bool) if ok is None else sol[ok] > 0.5
            bad = np.argwhere(active & (cvs > prob.cv_max[:, None] - CV_SLACK / 10))
            for g, j in bad:
                cone = cones.get((int(g), int(j)))
                if cone is not None:
                    refine(h, prob, cone, sol, values)
                add_cut(h, prob, values, int(g), int(j), float(limit[g, 0]), ok, ub)
            if len(bad) == 0:
                break
    finally:
        h.setOptionValue("solve_relaxation", False)


def _run(
    prob: Problem, closest: bool, budget: float | None, deadline: float, gap: float
) -> Solution | None:
    m = prob.model
    money = np.concatenate(m.cost)
    ok: I | None = None
    if closest:
        G, K = len(prob.group_keys), len(RESOURCE_KEYS)
        okv = m.add_vars(np.zeros(G * K), np.ones(G * K), np.zeros(G * K), True)
        ok = okv.reshape(G, K)
        money = np.concatenate(m.cost)
    base_cvs = county_cvs(prob, prob.base)
    # the CVs near or over their limit get the per-school formulation; the others a cut of
    # the whole cone if a plan ever pushes them out
    near = [(int(g), int(j)) for g, j in np.argwhere(base_cvs > 0.8 * prob.cv_max[:, None])]
    cones = {(c.g, c.j): c for c in add_cones(prob, near, prob.cv_max - CV_SLACK, ok)}
    ub = np.concatenate(m.ub)
    h = _highs(prob, deadline - time.monotonic(), 0.0 if closest else gap)
    spend_idx = np.flatnonzero(money).astype(np.int64)
    if budget is not None:
        _add_row(h, spend_idx, money[spend_idx], -np.inf, budget - _whole_units(h, prob))
    if not closest:
        _objective(h, money)
        _lp_rounds(h, prob, None, ub, deadline, cones)
        return _solve_cuts(h, prob, None, ub, deadline, 0, cones)
    assert ok is not None
    count = np.zeros(m.n)
    count[prob.passes] = 1.0
    count[ok.ravel()] = 1.0
    _objective(h, -count)
    _lp_rounds(h, prob, ok, ub, deadline, cones)
    first = _solve_cuts(h, prob, ok, ub, deadline, 0, cones)
    if first is None:
        return None
    best = float(count @ np.round(first.x))
    # then the least money for that many
    cidx = np.flatnonzero(count).astype(np.int64)
    _add_row(h, cidx, count[cidx], best - 0.5, np.inf)
    _objective(h, money)
    h.setOptionValue("mip_rel_gap", gap)  # the count is held by the row above: money to *gap*
    second = _solve_cuts(h, prob, ok, ub, deadline, first.rounds, cones)
    return second or first
