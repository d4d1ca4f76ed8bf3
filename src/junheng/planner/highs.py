"""The programme handed to HiGHS: variables, rows, objective, the CV cuts as rows, and the
whole units a budget is decided in."""

from __future__ import annotations

import os

import highspy
import numpy as np

from .cuts import cut
from .model import F, I, Problem


def _highs(prob: Problem, time_limit: float, gap: float) -> highspy.Highs:
    m = prob.model
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", os.environ.get("JUNHENG_HIGHS_LOG") == "1")
    h.setOptionValue("mip_rel_gap", gap)
    h.setOptionValue("time_limit", max(time_limit, 0.5))
    h.setOptionValue("threads", 1)
    lb, ub = np.concatenate(m.lb), np.concatenate(m.ub)
    h.addVars(m.n, lb, ub)
    integer = np.concatenate(m.integer)
    idx = np.flatnonzero(integer).astype(np.int32)
    h.changeColsIntegrality(len(idx), idx, np.full(len(idx), highspy.HighsVarType.kInteger))
    for lo, hi, ln, ii, vv in zip(m.row_lo, m.row_hi, m.row_len, m.row_idx, m.row_val, strict=True):
        starts = np.concatenate([[0], np.cumsum(ln)[:-1]]).astype(np.int32)
        h.addRows(len(lo), lo, hi, len(ii), starts, ii.astype(np.int32), vv)
    return h


def _objective(h: highspy.Highs, cost: F) -> None:
    idx = np.arange(len(cost), dtype=np.int32)
    h.changeColsCost(len(cost), idx, cost)


def _add_row(h: highspy.Highs, idx: I, coef: F, lo: float, hi: float) -> None:
    h.addRows(1, np.array([lo]), np.array([hi]), len(idx), np.array([0], dtype=np.int32),
              idx.astype(np.int32), coef.astype(float))  # fmt: skip


def add_cut(
    h: highspy.Highs, prob: Problem, values: F, g: int, j: int, limit: float,
    ok: I | None, ub: F,
) -> None:  # fmt: skip
    c = cut(prob, values, g, j, limit)
    if c is None:
        return
    idx, coef, rhs = c
    if ok is not None:
        # switched off when the CV is given up: LHS − M·(1 − ok) ≤ rhs
        big = max(float(np.maximum(coef, 0) @ ub[idx]) - rhs, 0.0) + 1.0
        okv = ok[g, j]
        idx, coef, rhs = np.append(idx, okv), np.append(coef, big), rhs + big
    _add_row(h, idx, coef, -np.inf, rhs)


def _whole_units(h: highspy.Highs, prob: Problem) -> float:
    """Under a budget, areas are decided in whole ㎡ (as the plan is rounded); returns what
    rounding the equipment up to whole 元 may add (元), to keep out of the budget."""
    sv = prob.school_vars
    whole = np.concatenate([sv["teaching_area"], sv["sports_area"], sv["lease_sports"]])
    h.changeColsIntegrality(len(whole), whole.astype(np.int32),
                            np.full(len(whole), highspy.HighsVarType.kInteger))  # fmt: skip
    eq = sv["equipment"]
    open_ = np.concatenate(prob.model.ub)[eq] > 0
    return float(np.concatenate(prob.model.cost)[eq][open_].sum() * 1e-4)
