"""Weighted CVs at a point and the outer-approximation cut of the CV cone there.

√(Σ Pᵢ(Xᵢ − X̄)²/N) ≤ c·X̄ is convex in the additions. With d = X* − X̄* at a point and
u = d / ‖d‖_P, Cauchy–Schwarz gives Σ Pᵢuᵢ(Xᵢ − X̄) ≤ ‖X − X̄‖_P for every X, and Σ Pᵢuᵢ = 0,
so Σ Pᵢ(uᵢ − c/√N)·Xᵢ ≤ 0 is valid everywhere and tight at X*.
"""

from __future__ import annotations

import numpy as np

from .model import F, I, Problem, weighted_cvs


def county_cvs(prob: Problem, values: F) -> F:
    """Weighted CV (groups × 7) of the values (rows × 7); +inf where the mean is not positive."""
    return weighted_cvs(prob.P, prob.group, len(prob.group_keys), values)


def cut(prob: Problem, values: F, g: int, j: int, limit: float) -> tuple[I, F, float] | None:
    """The cut Σ coef·x ≤ rhs for group *g* and indicator *j* at *values*, or None if flat."""
    from ..standard import RESOURCE_KEYS

    rows = np.flatnonzero(prob.group == g)
    P = prob.P[rows]
    v = values[rows, j]
    n = P.sum()
    d = v - (P * v).sum() / n
    s = float(np.sqrt((P * d * d).sum()))
    if s <= 1e-12:
        return None
    w = P * (d / s - limit / np.sqrt(n))
    idx = np.concatenate([i[rows] for i, _ in prob.terms[RESOURCE_KEYS[j]]])
    coef = np.concatenate([w * c[rows] for _, c in prob.terms[RESOURCE_KEYS[j]]])
    rhs = -float((w * prob.base[rows, j]).sum())
    keep = coef != 0
    return idx[keep], coef[keep], rhs
