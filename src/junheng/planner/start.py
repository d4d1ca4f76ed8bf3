"""A feasible plan to start the next MILP round from: the solver's last plan, CVs repaired.

Between rounds of cuts the last plan breaks a new cut, so the solver would start again from
nothing. Lifting the weakest schools (:func:`repair.repair`) makes it feasible again at a small
extra cost; with the model's own variables (met indicators, move costs, the cones' means and
terms) set from the values, the solver gets a complete plan and its gap starts small.
"""

from __future__ import annotations

import highspy
import numpy as np

from .additions import _round
from .cone import Cone
from .model import F, Problem
from .repair import repair


def complete(prob: Problem, x: F, cones: dict[tuple[int, int], Cone]) -> F | None:
    """The solver's last plan *x* as a full start vector, or None where there is none.

    The solver checks the start itself and ignores one that breaks a row.
    """
    plan, _ = repair(prob, _round(prob, x))
    values = prob.values(plan)
    # the move costs, the met indicators and the school rule follow from the values
    for k in ("qualified", "backbone", "pe_art"):
        plan[prob.row_vars[f"in_{k}"]] = np.maximum(plan[prob.row_vars[f"move_{k}"]], 0)
    # as the model's rows judge it: the standard and a hair (see model.build), within the
    # solver's feasibility tolerance
    met = values - prob.thr * (1 + 1e-7) >= -1e-7
    # an indicator met before stays met: a giving school may sit exactly on the standard
    lb = np.concatenate(prob.model.lb)[prob.met]
    plan[prob.met.ravel()] = np.maximum(met, lb).ravel().astype(float)
    plan[prob.passes] = 1.0
    for cone in cones.values():
        v = values[cone.rows, cone.j]
        P = prob.P[cone.rows]
        mean = float((P * v).sum() / P.sum())
        if mean <= 0:
            return None
        plan[cone.mean] = mean
        plan[cone.z] = (v - mean) ** 2 / mean * (1 + 1e-9) + 1e-12
    return plan


def give(h: highspy.Highs, start: F) -> None:
    sol = highspy.HighsSolution()
    sol.col_value = start.tolist()
    sol.value_valid = True
    h.setSolution(sol)
