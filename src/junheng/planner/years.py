"""The plan spread over years: which additions come first, and what each year costs.

The county rarely funds everything at once. Additions are scheduled cheapest-first (the most
schools' measures done soonest for the money), each whole measure in one year: a year takes
measures while its budget lasts, and what does not fit moves to the next year. Without a yearly
budget the total is shared evenly (total ÷ years). A measure dearer than a whole year's budget
starts its own year; the last year takes whatever is left, and the result says when the years
given are not enough.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..errors import JunhengError


@dataclass(frozen=True, slots=True)
class Schedule:
    """Per year (1-based): the measures done, and totals by kind and by year."""

    years: int
    per_year: float  # the yearly budget used (元)
    items: list[dict[str, Any]] = field(default_factory=list)  # action dicts with "year"
    by_year: list[dict[str, Any]] = field(default_factory=list)  # year, cost, measures
    by_kind: list[dict[str, Any]] = field(default_factory=list)  # year, title, quantity, cost
    overflow: float = 0.0
    """What the years spend above their budget, summed (元): a measure dearer than a year's
    budget, or more measures than the years given can pay for."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "years": self.years, "per_year": self.per_year, "items": self.items,
            "by_year": self.by_year, "by_kind": self.by_kind, "overflow": self.overflow,
        }  # fmt: skip


def schedule(
    actions: list[dict[str, Any]], years: int, per_year: float | None = None, trim: bool = False
) -> Schedule:
    """The actions of :func:`report.plan_dict` spread over *years*, cheapest-first.

    A county's moves are one measure, in one year: a teacher leaves a school in the year
    another school receives them. With *trim*, years left empty
    at the end are dropped (the number of years was only an estimate).
    """
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise JunhengError(f"分年度测算的年数应为不小于 1 的整数，填写的是 {years!r}")
    if per_year is not None and (not math.isfinite(per_year) or per_year <= 0):
        raise JunhengError(f"每年预算应为大于 0 的金额（元），填写的是 {per_year}")
    # moves are scheduled as one measure of the county (givers and takers together)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for a in actions:
        move = a["action"].startswith(("in_", "out_"))
        key = (a["county_code"], "交流轮岗") if move else (a["county_code"], a["code"])
        groups.setdefault(key, []).append(a)
    measures = sorted(
        groups.values(),
        key=lambda g: (sum(a["cost"] for a in g), g[0]["county_code"], g[0]["code"]),
    )
    total = sum(a["cost"] for a in actions)
    budget = per_year if per_year is not None else total / years
    year, spent = 1, 0.0
    items: list[dict[str, Any]] = []
    spend = [0.0] * years
    count = [0] * years
    for group in measures:
        cost = sum(a["cost"] for a in group)
        # a small tolerance: an even split may leave a year a fraction of a 元 short
        if spent > 0 and spent + cost > budget * (1 + 1e-9) + 0.5 and year < years:
            year, spent = year + 1, 0.0
        spent += cost
        spend[year - 1] += cost
        count[year - 1] += 1
        items.extend(a | {"year": year} for a in group)
    if trim:
        while years > 1 and count[years - 1] == 0:
            years -= 1
        spend, count = spend[:years], count[:years]
    over = per_year is not None
    by_year = [
        {"year": y + 1, "cost": spend[y], "measures": count[y],
         "over": over and spend[y] > budget * (1 + 1e-9) + 0.5}
        for y in range(years)
    ]  # fmt: skip
    kinds: dict[tuple[int, str], dict[str, Any]] = {}
    for a in items:
        k = kinds.setdefault(
            (a["year"], a["action"]),
            {"year": a["year"], "action": a["action"], "title": a["title"], "unit": a["unit"],
             "quantity": 0.0, "cost": 0.0},
        )  # fmt: skip
        k["quantity"] += a["quantity"]
        k["cost"] += a["cost"]
    by_kind = [kinds[k] for k in sorted(kinds)]
    overflow = sum(max(c - budget, 0.0) for c in spend) if over else 0.0
    return Schedule(years, budget, items, by_year, by_kind, overflow)
