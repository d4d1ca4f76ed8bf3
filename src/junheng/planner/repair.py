"""When the solver's time runs out with a CV still above its limit: lift the weakest schools.

Water-filling: every school of the county and stage below a level L is brought up to L, with
L the lowest level (found by bisection) at which the CV holds. Not optimal, but a plan that
passes, reported as such.
"""

from __future__ import annotations

import numpy as np

from ..standard import RESOURCE_KEYS
from .model import F, Problem, weighted_cvs

# the one action used per indicator to lift a school: (variable block, row or school level)
_LIFT = {
    "qualified_teachers": ("hire_qualified", "row"),
    "backbone_teachers": ("hire_backbone", "row"),
    "pe_art_teachers": ("hire_pe_art", "row"),
    "teaching_area": ("teaching_area", "school"),
    "sports_area": ("sports_area", "school"),
    "equipment_value": ("equipment", "school"),
    "multimedia_rooms": ("multimedia_room", "school"),
}


def _lift_to(prob: Problem, x: F, g: int, j: int, level: float) -> F:
    out = x.copy()
    key = RESOURCE_KEYS[j]
    block, where = _LIFT[key]
    rows = np.flatnonzero(prob.group == g)
    v = prob.values(x)[rows, j]
    short = np.maximum(level - v, 0)
    if where == "row":
        idx = prob.row_vars[block][rows]
        per_unit = 100.0 / prob.P[rows]
    else:
        idx = prob.school_vars[block][
            np.array([prob.schools.index(c) for c in prob.rows["code"][rows]])
        ]
        coef = prob.terms[key][0][1]
        per_unit = coef[rows]
    step = (
        1.0
        if np.concatenate(prob.model.integer)[idx[0]]
        else (1e-4 if block == "equipment" else 1.0)
    )
    add = np.ceil(short / per_unit / step - 1e-9) * step
    np.maximum.at(out, idx, out[idx] + add)  # a school in two stages takes the larger
    return out


def repair(prob: Problem, x: F) -> tuple[F, bool]:
    """*x* with every CV above its limit lifted by water-filling; and whether anything changed."""
    changed = False
    for _ in range(3):
        cvs = weighted_cvs(prob.P, prob.group, len(prob.group_keys), prob.values(x))
        bad = np.argwhere(cvs > prob.cv_max[:, None] - 1e-6)
        if len(bad) == 0:
            break
        for g, j in bad:
            v = prob.values(x)[prob.group == g, j]
            lo, hi = float(v.min()), float(v.max())
            for _ in range(50):
                mid = (lo + hi) / 2
                trial = _lift_to(prob, x, int(g), int(j), mid)
                cv = weighted_cvs(prob.P, prob.group, len(prob.group_keys), prob.values(trial))[
                    g, j
                ]
                lo, hi = (lo, mid) if cv <= prob.cv_max[g] - 2e-4 else (mid, hi)
            x = _lift_to(prob, x, int(g), int(j), hi)
            changed = True
    return x, changed
