"""表Ⅱ-2 of the Word report: one row per school and stage, every figure printed and judged.

A figure whose two-decimal print would read on the other side of its standard than the
verdict (4.196 beside a standard of 4.2) is printed with the decimals it takes to read the
way it is judged, as in the declaration workbook; figures below the standard are red.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docxtpl import RichText

from .. import display
from ..results import STAGE_TITLES, SchoolResult
from ..standard import RESOURCE_KEYS, Standard
from .sheets import VERDICT, ordered
from .tables import _PART_LABELS, _PARTS, _remark

RED = "C00000"
SIZE = 16
"""Half-points: the template's 表Ⅱ-2 is set in 8 pt, and a RichText run carries its own size."""


def _figure(s: SchoolResult, key: str, std: Standard, exact: bool) -> RichText:
    value = s.values.get(key)
    if value is None:
        return RichText(display.DASH, size=SIZE)
    threshold = std.threshold(key, s.stage)
    text = display.fmt(value)
    if exact and display.contradicts(value, ">=", threshold, display.VALUE_DIGITS):
        text = display.exact_for(value, ">=", threshold)
    return RichText(text, color=RED if key in s.below_standard else None, size=SIZE)


def school_rows(schools: Sequence[SchoolResult], std: Standard) -> list[dict[str, Any]]:
    """Rows of 表Ⅱ-2: primary schools, then junior, each numbered within its stage."""
    exact = std.settings.get("compare_at", "exact") != "displayed"
    rows: list[dict[str, Any]] = []
    numbers = {"primary": 0, "junior": 0}
    for s in ordered(schools):
        numbers[s.stage] = numbers.get(s.stage, 0) + 1
        row: dict[str, Any] = {
            "no": str(numbers[s.stage]),
            "name": s.name + (_PART_LABELS[s.stage] if s.type in _PARTS else ""),
            "stage": STAGE_TITLES[s.stage],
            "students": str(s.students),
            "classes": display.DASH if s.classes is None else str(s.classes),
            "ok": RichText(VERDICT[s.passed], color=None if s.passed else RED, size=SIZE),
            "remark": _remark(s, std),
        }
        for i, key in enumerate(RESOURCE_KEYS, start=1):
            row[f"v{i}"] = _figure(s, key, std, exact)
        rows.append(row)
    return rows


__all__ = ["school_rows"]
