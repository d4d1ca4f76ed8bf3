"""The CV limits as per-school cuts on an extended formulation.

√(Σ Pᵢ(Xᵢ − X̄)²/N) ≤ c·X̄ is, for X̄ > 0, the same as Σ Pᵢ·(Xᵢ − X̄)²/X̄ ≤ c²·N·X̄. Each term
(Xᵢ − X̄)²/X̄ is convex in (Xᵢ, X̄) and gets its own variable zᵢ, so the limit is one linear row
Σ Pᵢzᵢ ≤ c²·N·X̄ plus, per school, tangents zᵢ ≥ 2r(Xᵢ − X̄) − r²X̄ (valid for every r, tight
where r = (Xᵢ − X̄)/X̄). A cut per school at each round closes the gap much faster than one cut
of the whole cone: the solver sees every school's contribution separately.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from ..standard import RESOURCE_KEYS
from .model import F, I, Model, Problem

GRID = np.array([-0.5, 0.0, 0.5])
"""Ratios (Xᵢ − X̄)/X̄ where each school gets a tangent before the first solve."""


@dataclass(frozen=True, slots=True)
class Cone:
    g: int
    j: int
    rows: I
    z: I
    mean: int
    limit: float


def _terms(prob: Problem, j: int, rows: I) -> tuple[I, F]:
    key = RESOURCE_KEYS[j]
    idx = np.stack([i[rows] for i, _ in prob.terms[key]], axis=1)
    val = np.stack([c[rows] for _, c in prob.terms[key]], axis=1)
    return idx, val


def add_cones(prob: Problem, pairs: list[tuple[int, int]], limit: F, ok: I | None) -> list[Cone]:
    """Variables and rows for the CVs *pairs* (group, indicator), with the initial tangents."""
    m = prob.model
    cones = []
    for g, j in pairs:
        rows = np.flatnonzero(prob.group == g)
        P, n = prob.P[rows], float(prob.P[rows].sum())
        idx, val = _terms(prob, j, rows)
        z = m.add_vars(np.zeros(len(rows)), np.full(len(rows), np.inf), np.zeros(len(rows)), False)
        mean = int(m.add_vars(np.zeros(1), np.full(1, np.inf), np.zeros(1), False)[0])
        # N·X̄ − Σ P·coef·x = Σ P·base
        flat_i = np.concatenate([[mean], idx.ravel()])
        flat_v = np.concatenate([[n], -(P[:, None] * val).ravel()])
        rhs = float((P * prob.base[rows, j]).sum())
        m.add_rows(np.full(1, rhs), np.full(1, rhs), flat_i[None, :], flat_v[None, :])
        c2n = limit[g] ** 2 * n
        agg_i, agg_v = np.concatenate([z, [mean]]), np.concatenate([P, [-c2n]])
        hi = 0.0
        if ok is not None:
            big = _big(prob, j, rows, m)
            agg_i, agg_v, hi = np.append(agg_i, ok[g, j]), np.append(agg_v, big), big
        m.add_rows(np.full(1, -np.inf), np.full(1, hi), agg_i[None, :], agg_v[None, :])
        cone = Cone(g, j, rows, z, mean, float(limit[g]))
        base = prob.base[rows, j]
        r0 = (base - (P * base).sum() / n) / max((P * base).sum() / n, 1e-12)
        for r in [r0, *(np.full(len(rows), v) for v in GRID)]:
            m.add_rows(*_tangents(prob, cone, np.asarray(r, float)))
        cones.append(cone)
    return cones


def _big(prob: Problem, j: int, rows: I, m: Model) -> float:
    """A bound on Σ Pᵢzᵢ at any plan, to switch the limit off when the CV is given up."""
    ub = np.concatenate(m.ub)
    idx, val = _terms(prob, j, rows)
    top = prob.base[rows, j] + (np.maximum(val, 0) * ub[idx]).sum(axis=1)
    P = prob.P[rows]
    low_mean = max(float((P * prob.base[rows, j]).sum() / P.sum()), 1e-9)
    return float((P * np.maximum(top, top.max()) ** 2).sum() / low_mean) + 1.0


def _tangents(prob: Problem, cone: Cone, r: F) -> tuple[F, F, I, F]:
    """Rows 2r·Σcoef·x − (2r + r²)·X̄ − z ≤ −2r·base, one per school of the cone."""
    idx, val = _terms(prob, cone.j, cone.rows)
    k = len(cone.rows)
    all_i = np.concatenate([idx, np.full((k, 1), cone.mean), cone.z[:, None]], axis=1)
    all_v = np.concatenate(
        [2 * r[:, None] * val, -(2 * r + r * r)[:, None], -np.ones((k, 1))], axis=1
    )
    return np.full(k, -np.inf), -2 * r * prob.base[cone.rows, cone.j], all_i, all_v


def refine(h: highspy.Highs, prob: Problem, cone: Cone, x: F, values: F) -> int:
    """Tangents at the current point for the schools whose zᵢ is below its term; how many."""
    v = values[cone.rows, cone.j]
    P = prob.P[cone.rows]
    mean = float((P * v).sum() / P.sum())
    if mean <= 0:
        return 0
    r = (v - mean) / mean
    need = (v - mean) ** 2 / mean
    short = x[cone.z] < need - 1e-9 * max(1.0, float(need.max()))
    if not short.any():
        return 0
    lo, hi, idx, val = _tangents(prob, cone, r)
    lo, hi, idx, val = lo[short], hi[short], idx[short], val[short]
    keep = val != 0
    lens = keep.sum(axis=1)
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int32)
    h.addRows(len(lo), lo, hi, int(lens.sum()), starts, idx[keep].astype(np.int32), val[keep])
    return int(short.sum())
