"""Solving a county's plan for the page: data from the information base, scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from junheng.errors import JunhengError
from junheng.planner import Costs, plan
from junheng.planner.measures import measures, merged
from junheng.planner.report import plan_dict
from junheng.planner.solve import Plan
from junheng.standard import load_standard

from ..info import selectors as sel
from ..info.models import County, Role, SchoolRecord
from ..info.scoping import Actor, scope_of, scoped
from ..info.services.errors import NotAllowed, WorkflowError
from ..info.services.records import county_dataset
from ..ledger.models import LedgerItem

WEB_TIME_LIMIT = 5.0
"""Seconds the solver may take for a page: the page reports the gap if it stops early."""


@dataclass
class PlanResult:
    county: County
    year: int
    plan: dict[str, Any] | None
    error: str = ""
    solved: Plan | None = None


def county_plan(
    user: Actor, code: str, year: int, costs: Costs, budget: float | None,
    years: int | None = None,
) -> PlanResult:  # fmt: skip
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
    return PlanResult(county, year, plan_dict(result, years), solved=result)


def county_schools(user: Actor, county: County, year: int) -> list[tuple[str, str]]:
    """(code, name) of the county's schools with data in *year*, as the user may see them."""
    records = scoped(user, SchoolRecord.objects.filter(school__county=county, year=year))
    return list(records.order_by("school__code").values_list("school__code", "school__name"))


def may_write_ledger(user: Actor, county: County) -> bool:
    """The county's own staff only: the plan becomes the county's commitments."""
    own = scoped(user, County.objects.filter(pk=county.pk)).exists()
    return scope_of(user).role == Role.COUNTY and own


@dataclass(frozen=True, slots=True)
class LedgerWrite:
    written: int  # open items whose measure the plan filled
    untouched: int  # open items the plan has no measure for


def write_to_ledger(
    user: Actor, code: str, year: int, costs: Costs, budget: float | None
) -> LedgerWrite:
    """The plan's measures written into the county's open ledger items (整改措施).

    Only the county's own staff may; a closed item is never changed. What a person wrote in a
    measure stays: the plan's part (marked) is replaced by the new plan. Each change is kept in
    the item's history.
    """
    county = sel.county_in_scope(user, code)
    if not may_write_ledger(user, county):
        raise NotAllowed("只有本区县的督导人员可以把测算方案写入整改台账")
    result = county_plan(user, code, year, costs, budget)
    if result.solved is None:
        raise WorkflowError(result.error or "不能测算，未写入整改台账")
    texts = {key: text for (c, key), text in measures(result.solved).items() if c == county.code}
    written = untouched = 0
    with transaction.atomic():
        items = (
            LedgerItem.objects.select_for_update()
            .filter(county=county)
            .exclude(status=LedgerItem.State.CLOSED)
        )
        for item in items:
            text = texts.get(item.key)
            if text is None:
                untouched += 1
                continue
            new = merged(item.measure, text)[:2000]
            if new != item.measure:
                item.measure = new
                item.save(update_fields=["measure", "updated_at"])
            written += 1
    return LedgerWrite(written, untouched)
