"""Why a plan falls short: each limit the county set, relaxed alone, and whether that passes.

A plan that does not reach compliance is re-solved once per limit in force (the budget, the
schools that cannot build, the maximum per school, leases and moves not allowed) with that one
limit lifted and the others kept. A limit whose lifting makes a county pass is the one that
binds there; the relaxed plan's cost says what lifting it would take.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from ..display import fmt
from .costs import Costs
from .report import actions, money, school_texts

if TYPE_CHECKING:
    from ..reader import Dataset
    from ..standard import Standard
    from .solve import Plan

LIMITS = ("budget", "cannot_build", "max_per_school", "allow_lease", "allow_moves")


def _lifted(costs: Costs, budget: float | None) -> list[tuple[str, Costs, float | None]]:
    """Each limit in force, lifted alone: (limit, costs, budget)."""
    out: list[tuple[str, Costs, float | None]] = []
    if budget is not None:
        out.append(("budget", costs, None))
    if costs.cannot_build:
        out.append(("cannot_build", costs.with_changes(cannot_build=frozenset()), budget))
    if costs.max_per_school > 0:
        out.append(("max_per_school", costs.with_changes(max_per_school=0.0), budget))
    if not costs.allow_lease and costs.cannot_build:
        # a lease is the only way to more sports ground at a school that cannot build
        out.append(("allow_lease", costs.with_changes(allow_lease=True), budget))
    if not costs.allow_moves and budget is not None:
        # without a budget a move only saves money; under one it may be what makes it reach
        out.append(("allow_moves", costs.with_changes(allow_moves=True), budget))
    return out


def relax(
    data: Dataset, standard: Standard, costs: Costs, counties: list[str],
    budget: float | None, seconds: float,
) -> list[tuple[str, Plan]]:  # fmt: skip
    """The plan with each limit in force lifted alone, in the order of :data:`LIMITS`."""
    from .solve import plan

    tries = _lifted(costs, budget)
    each = max(seconds / max(len(tries), 1), 1.0)
    return [
        (name, plan(data, standard, c, counties, b, each, explain=False)) for name, c, b in tries
    ]


def _county_cost(p: Plan, code: str) -> float:
    return sum(a.cost for a in actions(p) if a.county_code == code)


def why(plan: Plan, code: str) -> list[str]:
    """Which limit keeps the county *code* from passing, and what lifting it would cost."""
    c, out = plan.costs, []
    for limit, lifted in plan.relaxed:
        if not lifted.passing.get(code, False):
            continue
        need = money(_county_cost(lifted, code))
        if limit == "budget":
            assert plan.budget is not None
            shared = (
                f"（所选区县共需{money(lifted.total_cost())}）" if len(plan.counties) > 1 else ""
            )
            out.append(f"预算{money(plan.budget)}不足：不限预算时，本县达标需要{need}{shared}")
        elif limit == "cannot_build":
            names = _names(plan, code, c.cannot_build)
            out.append(f"不能新建的学校（{names}）限制了方案：这些学校能新建时，本县达标需要{need}")
        elif limit == "max_per_school":
            over = [
                f"{s['name']}需{money(s['cost'])}"
                for s in school_texts(lifted, actions(lifted))
                if s["county_code"] == code and s["cost"] > c.max_per_school
            ]
            out.append(
                f"每校投入上限{money(c.max_per_school)}限制了方案：不设上限时，本县达标需要{need}"
                + (f"，其中{'、'.join(over)}" if over else "")
            )
        elif limit == "allow_lease":
            out.append(f"未允许租用场馆：允许以租用场馆计入体育运动场馆面积时，本县达标需要{need}")
        elif limit == "allow_moves":
            out.append(f"未测算交流轮岗：允许县域内教师交流轮岗时，本县达标需要{need}")
    if not out:
        set_ = _limits_in_force(plan)
        out.append(
            f"单独放开任何一项限制（{'、'.join(set_)}）都不能使本县达标，须同时放宽"
            if len(set_) > 1
            else f"放开“{set_[0]}”也不能使本县达标" if set_
            else "在测算范围内（每项新增至多达到全县最好水平）找不到达标方案"
        )  # fmt: skip
    return out


def _limits_in_force(plan: Plan) -> list[str]:
    c = plan.costs
    said = {
        "budget": f"预算{money(plan.budget)}" if plan.budget is not None else "",
        "cannot_build": "不能新建的学校" if c.cannot_build else "",
        "max_per_school": f"每校投入上限{money(c.max_per_school)}" if c.max_per_school > 0 else "",
        "allow_lease": "未允许租用场馆" if not c.allow_lease and c.cannot_build else "",
        "allow_moves": "未测算交流轮岗" if not c.allow_moves and plan.budget is not None else "",
    }
    return [v for v in said.values() if v]


def _names(plan: Plan, code: str, schools: frozenset[str], shown: int = 5) -> str:
    rows = plan.rows_before.filter(
        (pl.col("county_code") == code) & pl.col("code").is_in(list(schools))
    )
    names = rows["name"].unique(maintain_order=True).to_list()
    more = f"等{fmt(len(names), 0)}所" if len(names) > shown else ""
    return "、".join(names[:shown]) + more
