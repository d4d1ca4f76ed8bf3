"""Making the plan: which counties to plan, the solver's result rounded and repaired, then the
engine's verdict on the data with the additions applied."""

from __future__ import annotations

import math
import time

import numpy as np
import polars as pl

from ..engine.frames import evaluate_frames
from ..reader import Dataset
from ..standard import RESOURCE_KEYS, Standard
from .additions import _round, additions_frame
from .apply import ADD_COLUMNS, apply_additions
from .costs import Costs
from .model import F, Problem, build
from .repair import repair
from .result import Plan, PlanError, Solution
from .rounds import CV_SLACK, _run

__all__ = [
    "CV_SLACK",
    "Plan",
    "PlanError",
    "Solution",
    "_resource_pass",
    "_round",
    "additions_frame",
    "plan",
]


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
