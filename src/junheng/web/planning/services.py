"""Solving a county's plan for the page: data from the information base, scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from junheng.errors import JunhengError
from junheng.planner import Costs, plan
from junheng.planner.report import plan_dict
from junheng.standard import load_standard

from ..info import selectors as sel
from ..info.models import County, SchoolRecord
from ..info.scoping import Actor, scoped
from ..info.services.records import county_dataset

WEB_TIME_LIMIT = 5.0
"""Seconds the solver may take for a page: the page reports the gap if it stops early."""


@dataclass
class PlanResult:
    county: County
    year: int
    plan: dict[str, Any] | None
    error: str = ""


def county_plan(
    user: Actor, code: str, year: int, costs: Costs, budget: float | None
) -> PlanResult:
    """The plan of the county *code* for *year*, if the user may see that county (else 404)."""
    county = sel.county_in_scope(user, code)
    run = sel.latest_run(county, year)
    std = load_standard(run.standard) if run else load_standard()
    records = scoped(user, SchoolRecord.objects.filter(school__county=county, year=year))
    if not records.exists():
        return PlanResult(county, year, None, f"{year}年没有学校数据，不能测算。")
    try:
        data = county_dataset(county, year, std)
    except JunhengError as exc:
        return PlanResult(county, year, None, f"本年度学校数据有误，不能测算：{exc}")
    try:
        result = plan(data, std, costs, [county.code], budget, WEB_TIME_LIMIT)
    except JunhengError as exc:
        return PlanResult(county, year, None, str(exc))
    return PlanResult(county, year, plan_dict(result))
