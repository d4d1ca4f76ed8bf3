"""How figures are printed: one rounding rule for console, JSON texts, Excel, Word and web.

Officials round half-up on the decimal they read, so rounding starts from the shortest decimal
representation of the float (``repr``), not from its binary value: 0.0005 prints as 0.001 and
2.675 as 2.68, where ``round`` would give 0.0 and 2.67.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Literal

VALUE_DIGITS: Final = 2
"""Per-school values and county means."""
CV_DIGITS: Final = 3
"""差异系数."""
RATIO_DIGITS: Final = 1
"""Percentages in the declaration form."""
EXACT_DIGITS: Final = 4
"""The exact figure quoted where the printed one would mislead."""

DASH: Final = "—"

Comparison = Literal[">=", ">", "<=", "<"]


def half_up(value: float, digits: int) -> Decimal:
    """``value`` rounded half-up to ``digits`` decimals; raises ValueError on inf or NaN."""
    if not math.isfinite(value):
        raise ValueError(f"不是有限数值：{value!r}")
    quantum = Decimal(1).scaleb(-digits)
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    # -0.00 reads as a sign error on paper
    return rounded + 0 if rounded else abs(rounded)


def rounded(value: float, digits: int) -> float:
    """The printed figure as a number (for spreadsheets, which keep it numeric)."""
    return float(half_up(value, digits))


def fmt(value: float | None, digits: int = VALUE_DIGITS) -> str:
    """The printed figure, or a dash where there is none."""
    if value is None or not math.isfinite(value):
        return DASH
    return f"{half_up(value, digits):.{digits}f}"


def percent(rate: float | None, digits: int = RATIO_DIGITS) -> str:
    """A share (0.8496) as the form prints it (85.0%)."""
    if rate is None or not math.isfinite(rate):
        return DASH
    return f"{half_up(rate * 100, digits):.{digits}f}%"


def cv(value: float | None) -> str:
    return fmt(value, CV_DIGITS)


def exact(value: float, digits: int = EXACT_DIGITS) -> str:
    return fmt(value, digits)


def holds(value: float, op: Comparison, threshold: float) -> bool:
    if op == ">=":
        return value >= threshold
    if op == ">":
        return value > threshold
    if op == "<=":
        return value <= threshold
    return value < threshold


def contradicts(value: float, op: Comparison, threshold: float, digits: int) -> bool:
    """True where the printed figure would pass and the exact one fails, or the other way.

    Such a figure needs its exact value beside it: a CV of 0.5004 prints as 0.500 and fails.
    """
    if not math.isfinite(value):
        return False
    return holds(value, op, threshold) != holds(rounded(value, digits), op, threshold)
