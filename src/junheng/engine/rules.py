"""A county-level item as data: how it is decided (a Polars expression over the county
frame) and how its figures read in Chinese, in the words of the declaration form."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..contract import COUNTY_BY_KEY
from ..standard import Standard

Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Rule:
    key: str
    expr: Callable[[Standard], pl.Expr]
    """True pass, False fail, null not assessed."""
    detail: Callable[[Row, Standard], str]
    needs: tuple[str, ...] = ()
    """Frame columns; any that is null is named when the item cannot be assessed."""


AGGREGATE_LABELS: dict[str, str] = {
    "room_missing": "部分学校未填报“达标音乐专用教室数”或“达标美术专用教室数”",
    "p_oversized_sum": "部分小学未填报“小学超过45人班级数”",
    "j_oversized_sum": "部分初中未填报“初中超过50人班级数”",
    "small_funds_all": "未填报不足100人学校的公用经费（区县表或学校表“公用经费预算”）",
    "special_students_all": "未填报特殊教育学校在校生数",
    "trained_sum": "部分学校未填报“完成360学时培训专任教师数”",
    "certified_sum": "部分学校未填报“持教师资格证专任教师数”",
    "training_fund_missing": "部分学校未填报“公用经费预算”或“教师培训经费预算”",
}


def label(column: str) -> str:
    if column in AGGREGATE_LABELS:
        return AGGREGATE_LABELS[column]
    col = COUNTY_BY_KEY.get(column)
    return f"区县表“{col.header}”未填报" if col else column


def is_missing(column: str, value: object) -> bool:
    """A needed input is missing: null, or a positive count of schools that did not report."""
    if value is None:
        return True
    return column.endswith("_missing") and isinstance(value, int) and value > 0


def flag(key: str, column: str) -> Rule:
    """An evidence item answered 是/否 in the 区县 sheet."""
    return Rule(
        key,
        lambda _s: pl.col(column),
        lambda r, _s: yes_no(r.get(column)),
        (column,),
    )


def yes_no(value: object, yes: str = "是", no: str = "否") -> str:
    return yes if value is True else no if value is False else "未填报"


def num(x: object, digits: int = 0) -> str:
    if not isinstance(x, int | float) or (isinstance(x, float) and math.isnan(x)):
        return "＿＿"
    if digits == 0:
        return f"{round(float(x)):d}" if isinstance(x, float) else str(x)
    return f"{float(x):.{digits}f}"


def pct(a: object, b: object) -> str:
    """a ÷ b as a percentage to 1 decimal, as the declaration form asks.

    Rounded down, so a rate just short of a threshold (99.99% of 100%) never reads as met.
    """
    if not isinstance(a, int | float) or not isinstance(b, int | float) or b == 0:
        return "＿＿"
    return f"{math.floor(1000 * a / b + 1e-9) / 10:.1f}"


def ge(a: pl.Expr, b: pl.Expr | float) -> pl.Expr:
    """a ≥ b tolerant of float noise (a ratio like 0.95 exactly must pass)."""
    return a >= b - 1e-9


def names(items: object, limit: int = 5) -> str:
    """A list of school names for a detail line: the first few, then 等N所."""
    found = items if isinstance(items, list | tuple) else []
    more = f"等{len(found)}所" if len(found) > limit else ""
    return "、".join(str(x) for x in found[:limit]) + more
