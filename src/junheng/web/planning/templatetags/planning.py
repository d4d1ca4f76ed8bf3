"""Figures on the plan page, rounded by :mod:`junheng.display` like everywhere else."""

from __future__ import annotations

from typing import Any

from django import template

from junheng.display import cv, fmt
from junheng.planner.output import status_line
from junheng.planner.report import money

register = template.Library()


@register.filter
def wan(yuan: float | None) -> str:
    return "—" if yuan is None else money(yuan)


@register.filter
def cv3(value: float | None) -> str:
    return cv(value)


@register.filter
def qty(value: float, unit: str) -> str:
    return fmt(value, 2 if unit == "万元" else 0)


@register.filter
def summary(plan: dict[str, Any]) -> str:
    return status_line(plan)
