"""Solving the plan: HiGHS with CV cuts until they hold, then the engine's verdict on the result."""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field

import highspy
import numpy as np
import polars as pl

from ..engine.frames import evaluate_frames
from ..errors import JunhengError
from ..reader import Dataset
from ..standard import RESOURCE_KEYS, Standard
from .apply import ADD_COLUMNS, apply_additions
from .cone import Cone, add_cones, refine
from .costs import Costs
from .cuts import county_cvs, cut
from .model import _ADDS, F, I, Problem, build
from .repair import repair
from .start import complete, give

CV_SLACK = 1e-4
"""Cuts aim this far under each CV limit, so a plan rounded to whole ㎡ and 元 still passes."""
MAX_ROUNDS = 60
LP_ROUNDS = 30
LP_SHARE = 0.7
"""At most this share of the time goes to cuts at the LP relaxation before the MILP."""


class PlanError(JunhengError):
    """The plan could not be made (nothing to plan, or the data is incomplete)."""


@dataclass
class Solution:
    x: F
    status: str
    gap: float
    rounds: int
    bound: float = 0.0
    """The solver's lower bound on the cost (the dual bound)."""


@dataclass
class Plan:
    """The solved plan, with the engine's verdict before and after."""

    standard: Standard
    problem: Problem | None
    x: F
    additions: pl.DataFrame
    before: pl.DataFrame  # county_stages before (engine)
    after: pl.DataFrame  # county_stages after (engine)
    rows_before: pl.DataFrame
    rows_after: pl.DataFrame
    counties: list[str]
    blocked: dict[str, str]
    budget: float | None
    costs: Costs
    status: str = "最优"
    gap: float = 0.0
    rounds: int = 0
    seconds: float = 0.0
    closest: bool = False
    passing: dict[str, bool] = field(default_factory=dict)
    relaxed: list[tuple[str, Plan]] = field(default_factory=list)
    """When not reached: the plan with each limit in force lifted alone (:mod:`.why`)."""

    @property
    def reached(self) -> bool:
        return bool(self.passing) and all(self.passing.values()) and not self.blocked

    def total_cost(self) -> float:
        if self.problem is None:
            return 0.0
        return float(np.dot(np.concatenate(self.problem.model.cost), self.x))


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


def _round(prob: Problem, x: F) -> F:
    integer = np.concatenate(prob.model.integer)
    step = np.ones(len(x))
    step[prob.school_vars["equipment"]] = 1e-4  # whole 元 of 万元
    # whole ㎡ and 元, rounded up: a plan never falls short by a fraction
    up = np.ceil(np.maximum(x, 0) / step - 1e-6) * step
    out = np.where(integer, np.round(x), up)
    return np.asarray(np.where(np.abs(out) < 1e-9, 0.0, out), dtype=float)


def additions_frame(prob: Problem, x: F) -> pl.DataFrame:
    """Per school: what the plan adds to each input column (teachers by stage, areas, 万元, rooms)."""
    rows = prob.rows
    stage_p = np.array([s == "primary" for s in rows["stage"].to_list()])
    counts = {}
    for kind in ("teachers", "qualified", "backbone", "pe_art"):
        total = np.zeros(rows.height)
        for a, adds in _ADDS.items():
            total += adds.get(kind, 0) * x[prob.row_vars[a]]
        counts[kind] = total
    per_row = (
        pl.DataFrame(
            {"code": rows["code"]}
            | {f"p_{k}": np.where(stage_p, v, 0.0) for k, v in counts.items()}
            | {f"j_{k}": np.where(~stage_p, v, 0.0) for k, v in counts.items()}
        )
        .group_by("code", maintain_order=True)
        .sum()
    )
    sv = prob.school_vars
    per_school = pl.DataFrame({
        "code": prob.schools,
        "teach_area": x[sv["teaching_area"]],
        # a leased venue has no column of its own in the data contract: it is counted in the
        # school's sports ground, as the evaluation counts it (evidence: the lease contract)
        "sports_ground": x[sv["sports_area"]] + x[sv["lease_sports"]],
        "equipment": x[sv["equipment"]],
        "mm_rooms": x[sv["multimedia_room"]],
    })  # fmt: skip
    out = per_row.join(per_school, on="code", how="left")
    return out.select("code", *ADD_COLUMNS)


def _resource_pass(stages: pl.DataFrame) -> dict[str, bool]:
    agg = stages.group_by("county_code", maintain_order=True).agg(
        ok=(pl.col("all_schools_pass") & pl.col("cv_pass_all")).all()
    )
    return {r["county_code"]: bool(r["ok"]) for r in agg.iter_rows(named=True)}


def plan(
    data: Dataset,
    standard: Standard,
    costs: Costs,
    counties: list[str] | None = None,
    budget: float | None = None,
    time_limit: float = 10.0,
    gap: float = 0.01,
    explain: bool = True,
) -> Plan:
    """The least-cost plan making the counties asked for pass the resource part.

    With a *budget* (元), or when full compliance is out of reach, the plan maximises the
    school-stages passing plus the CVs met, then spends least for that. The solver stops once
    its plan is proven within *gap* (relative) of the least cost; the plan reports the gap.
    When the plan does not reach compliance and *explain* is set, each limit in force is lifted
    alone and the plan solved again, to say which limit binds (:mod:`.why`).
    """
    start = time.monotonic()
    deadline = start + time_limit
    before = evaluate_frames(data, standard)
    known = before.school_stages["county_code"].unique(maintain_order=True).to_list()
    asked = counties or known
    unknown = [c for c in asked if c not in known]
    if unknown:
        raise PlanError(
            f"数据中没有区县代码 {'、'.join(unknown)}（有：{'、'.join(known) or '无'}）"
        )
    long = before.school_stages.filter(pl.col("county_code").is_in(asked))
    nulls = long.filter(pl.any_horizontal([pl.col(k).is_null() for k in RESOURCE_KEYS]))
    blocked = {
        r["county_code"]: f"{r['county_name']}：{r['name']}等学校的资源配置数据不全，无法测算"
        for r in nulls.unique("county_code", keep="first", maintain_order=True).iter_rows(
            named=True
        )
    }
    # a county the engine already passes needs nothing: left out, its CVs are not held to the
    # model's margin under the limit (a plan applied and planned again costs nothing)
    done = [c for c, ok in _resource_pass(before.county_stages).items() if ok]
    long = long.filter(~pl.col("county_code").is_in([*blocked, *done]))
    if budget is not None and (not math.isfinite(budget) or budget < 0):
        raise PlanError(f"预算应为不小于 0 的金额（元），填写的是 {budget}")

    prob: Problem | None = None
    x = np.zeros(0)
    sol = Solution(x, "最优", 0.0, 0)
    closest = budget is not None
    if long.height:
        for attempt_closest in [True] if closest else [False, True]:
            prob = build(long, standard, costs, attempt_closest)
            found = _run(prob, attempt_closest, budget, deadline, gap)
            if found is not None:
                sol, closest = found, attempt_closest
                break
        assert prob is not None
        x = _round(prob, sol.x)
        if not closest:
            x, lifted = repair(prob, x)
            if lifted:
                sol.status = "时限内未收敛，差异系数按“补齐最弱学校”补足（非最优）"
        # the engine, not the model, decides whether the plan passes
    additions = (
        additions_frame(prob, x) if prob is not None
        else pl.DataFrame(schema={"code": pl.String, **dict.fromkeys(ADD_COLUMNS, pl.Float64)})
    )  # fmt: skip
    after = evaluate_frames(apply_additions(data, additions), standard)
    keep = pl.col("county_code").is_in(asked)
    result = Plan(
        standard=standard, problem=prob, x=x, additions=additions,
        before=before.county_stages.filter(keep), after=after.county_stages.filter(keep),
        rows_before=before.school_stages.filter(keep), rows_after=after.school_stages.filter(keep),
        counties=asked, blocked=blocked, budget=budget, costs=costs,
        status=sol.status, gap=_gap(prob, x, sol), rounds=sol.rounds,
        seconds=time.monotonic() - start, closest=closest,
        passing=_resource_pass(after.county_stages.filter(keep)),
    )  # fmt: skip
    planned = set(long["county_code"].to_list())
    if explain and any(not result.passing.get(c, False) for c in planned):
        from .why import relax

        result.relaxed = relax(data, standard, costs, asked, budget, time_limit)
    return result


def _gap(prob: Problem | None, x: F, sol: Solution) -> float:
    """Relative distance of the plan's cost from the solver's lower bound (0: proven optimal)."""
    if prob is None:
        return 0.0
    cost = float(np.dot(np.concatenate(prob.model.cost), x))
    if cost <= 1e-9:
        return 0.0
    # the rounding to whole ㎡ and 元 costs a little: not a gap of the optimisation
    return (
        max(sol.gap, (cost - sol.bound) / cost)
        if sol.gap > 1e-9 or cost > sol.bound * (1 + 1e-3)
        else 0.0
    )


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
