"""A county-level item as data: how it is decided (a Polars expression over the county
frame) and how its figures read in Chinese, in the words of the declaration form."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from ..contract import COUNTY_BY_KEY
from ..display import RATIO_DIGITS, fmt, percent, quoted_percent
from ..standard import Standard

BLANK = "＿＿"
"""Where the declaration form leaves a figure blank."""

Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Rule:
    key: str
    expr: Callable[[Standard], pl.Expr]
    """True pass, False fail, null not assessed."""
    detail: Callable[[Row, Standard], str]
    needs: tuple[str, ...] = ()
    """Frame columns; any that is null is named when the item cannot be assessed."""
    text: Callable[[Standard], pl.Expr] | None = None
    """*detail* for every county at once, over the county frame (the same text)."""


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
    from .texts import yes_no_e

    return Rule(
        key,
        lambda _s: pl.col(column),
        lambda r, _s: yes_no(r.get(column)),
        (column,),
        lambda _s: yes_no_e(pl.col(column)),
    )


def yes_no(value: object, yes: str = "是", no: str = "否") -> str:
    return yes if value is True else no if value is False else "未填报"


def num(x: object, digits: int = 0) -> str:
    """A figure of a detail line, rounded half-up (display.fmt); a blank where there is none."""
    if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
        return BLANK
    if isinstance(x, int) and digits == 0:
        return str(x)
    return fmt(float(x), digits)


def exact_verdicts(s: Standard) -> bool:
    """True where verdicts compare the exact value (the default); False where the standard
    judges the printed figure (``compare_at = "displayed"``)."""
    return bool(s.settings.get("compare_at", "exact") != "displayed")


def rate(a: object, b: object, need: float | None = None, s: Standard | None = None) -> str:
    """a ÷ b as a percentage to 1 decimal with its sign, as the declaration form asks.

    Half-up; where it is judged against *need* (a share, 0–1) and the printed figure would
    read the other way than the verdict, the exact percentage follows in brackets.
    """
    if not isinstance(a, int | float) or not isinstance(b, int | float) or b == 0:
        return BLANK + "%"
    share = float(a) / float(b)
    if need is None:
        return percent(share)
    return quoted_percent(share, ">=", need, judged_exact=s is None or exact_verdicts(s))


def shown_at(e: pl.Expr, digits: int, s: Standard) -> pl.Expr:
    """The figure a verdict compares: the exact one, or (``compare_at = "displayed"``) the
    printed one, rounded half-up to the official *digits* (the epsilon keeps 2.675 → 2.68, as
    display.fmt rounds the decimal an official reads, not the binary float)."""
    if exact_verdicts(s):
        return e
    scale = 10.0**digits
    return (e * scale + 0.5 + 1e-7).floor() / scale


def share_ge(a: pl.Expr, b: pl.Expr, need: float, s: Standard) -> pl.Expr:
    """a ÷ b ≥ *need* (a share): exactly (a ≥ b·need, no division), or on the printed
    percentage to 1 decimal."""
    if exact_verdicts(s):
        return ge(a, b * need)
    pct_shown = shown_at(a.cast(pl.Float64) * 100.0 / b, RATIO_DIGITS, s)
    return pl.when(b == 0).then(ge(a, b * need)).otherwise(ge(pct_shown, need * 100.0))


def ge(a: pl.Expr, b: pl.Expr | float) -> pl.Expr:
    """a ≥ b tolerant of float noise (a ratio like 0.95 exactly must pass)."""
    return a >= b - 1e-9


def names(items: object, limit: int = 5) -> str:
    """A list of school names for a detail line: the first few, then 等N所."""
    found = items if isinstance(items, list | tuple) else []
    more = f"等{len(found)}所" if len(found) > limit else ""
    return "、".join(str(x) for x in found[:limit]) + more
