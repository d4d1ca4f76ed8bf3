"""How figures are printed: one rounding rule for console, JSON texts, Excel, Word and web.

Officials round half-up on the decimal they read, so rounding starts from the shortest decimal
representation of the float (``repr``), not from its binary value: 0.0005 prints as 0.001 and
2.675 as 2.68, where ``round`` would give 0.0 and 2.67.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
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
    return _half_up(float(value), digits)


@lru_cache(maxsize=1 << 16)
def _half_up(value: float, digits: int) -> Decimal:
    # cached: a detail line prints a figure and then checks that the printed one does not
    # contradict the verdict, rounding the same value twice; a nation prints 200,000 figures
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
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


TOLERANCE: Final = 1e-9
"""Float noise a verdict forgives: a CV of exactly 0.50 computes as 0.5000000000000001."""


def holds(value: float, op: Comparison, threshold: float) -> bool:
    """The verdict as the engine takes it (≥ and ≤ forgive float noise)."""
    if op == ">=":
        return value >= threshold - TOLERANCE
    if op == ">":
        return value > threshold
    if op == "<=":
        return value <= threshold + TOLERANCE
    return value < threshold


def contradicts(value: float, op: Comparison, threshold: float, digits: int) -> bool:
    """True where the printed figure would pass and the exact one fails, or the other way.

    Such a figure needs its exact value beside it: a CV of 0.5004 prints as 0.500 and fails.
    """
    if not math.isfinite(value):
        return False
    return holds(value, op, threshold) != holds(rounded(value, digits), op, threshold)


def exact_for(value: float, op: Comparison, threshold: float, digits: int = EXACT_DIGITS) -> str:
    """The exact figure to ``digits`` decimals, or more where even that would still contradict
    the verdict (0.84999 to 4 decimals is 0.8500: it takes 5 to read as short of 0.85)."""
    for d in range(digits, digits + 8):
        if not contradicts(value, op, threshold, d):
            return fmt(value, d)
    return repr(float(value))


def quoted(
    value: float | None,
    op: Comparison,
    threshold: float,
    digits: int,
    *,
    exact_digits: int = EXACT_DIGITS,
    unit: str = "",
    judged_exact: bool = True,
) -> str:
    """The printed figure, followed by the exact one where the printed one sits on the
    threshold but the verdict goes the other way: 0.500（精确值0.5004）.

    ``judged_exact`` False (a standard judging the printed figure) never adds it: then the
    printed figure is the one the verdict was taken on.
    """
    text = fmt(value, digits) + (unit if value is not None and math.isfinite(value) else "")
    if value is None or not judged_exact or not contradicts(value, op, threshold, digits):
        return text
    return f"{text}（精确值{exact_for(value, op, threshold, exact_digits)}{unit}）"


def quoted_percent(
    rate: float | None, op: Comparison, threshold: float, *, judged_exact: bool = True
) -> str:
    """A share and its threshold (both 0–1) printed as the form does, with the exact
    percentage where needed: 85.0%（精确值84.96%）."""
    if rate is None or not math.isfinite(rate):
        return DASH
    return quoted(rate * 100, op, threshold * 100, RATIO_DIGITS,
                  exact_digits=EXACT_DIGITS - 2, unit="%", judged_exact=judged_exact)  # fmt: skip


def at_threshold(value: float, op: Comparison, threshold: float, digits: int) -> bool:
    """Whether the printed figure would be judged: the ``compare_at = "displayed"`` verdict."""
    return holds(rounded(value, digits), op, threshold)
