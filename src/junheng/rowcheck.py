"""Whether one typed school record plainly passes every check the reader makes.

An entry form's save checks one record through the reader, as an imported row would be
checked: the same rules and the same messages. The reader is built for sheets, and one row
costs it tens of milliseconds. Most saves hold clean values that Django's fields have
already typed, so this answers "clean" in microseconds when every check plainly passes,
and "not sure" otherwise. A record that is not plainly clean still goes to the reader,
which writes the findings: no rule's message is written twice.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from .columns import _FAIL, INVISIBLE
from .contract import CONSISTENCY, SCHOOL_COLUMNS, SCHOOL_TYPES, TYPE_STAGES, Column, Kind
from .reader import _COUNTY_CODE, _SCHOOL_CODE, _STAGE_STUDENTS

# the reader's patterns, ASCII digits only: a full-width code is left to the reader to judge
_CODES = {"code": re.compile(_SCHOOL_CODE, re.ASCII), "county_code": re.compile(_COUNTY_CODE, re.ASCII)}  # fmt: skip
_PLAIN_TEXT = re.compile(r"\S(?:.*\S)?", re.DOTALL)
_INVISIBLE = re.compile(INVISIBLE)
_BLANK_IS_ZERO = frozenset(c.key for c in SCHOOL_COLUMNS if c.blank_is_zero)
_STAGED = tuple(c for c in SCHOOL_COLUMNS if c.stage is not None and not c.blank_is_zero)
"""Counts a school must give for each stage it has (a blank area that means 0 is given)."""


def _number_ok(col: Column, v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, bool) or not isinstance(v, int | float):
        return False
    x = float(v)
    if not math.isfinite(x) or x < 0:
        return False
    if col.kind is Kind.INT and not x.is_integer():
        return False
    if col.percent_points and 0 < x <= 1:
        return False
    return col.max_value is None or x <= col.max_value


def _text_ok(col: Column, v: object) -> bool:
    if v is None:
        return not col.required
    if not isinstance(v, str) or _FAIL in v or _INVISIBLE.search(v) or not _PLAIN_TEXT.fullmatch(v):
        return False
    code = _CODES.get(col.key)
    return code is None or code.fullmatch(v) is not None


def _cell_ok(col: Column, v: object) -> bool:
    if col.kind in (Kind.INT, Kind.NUMBER):
        return _number_ok(col, v)
    if col.kind is Kind.TEXT:
        return _text_ok(col, v)
    if col.kind is Kind.BOOL:
        return v is None or isinstance(v, bool)
    if v is None:
        return not col.required
    return isinstance(v, str) and v in col.choices


def _needed(col: Column, type_code: str, row: Mapping[str, object]) -> bool:
    stage = col.stage
    if stage == "any":
        return type_code != "special"
    if stage is not None and stage in TYPE_STAGES[type_code]:
        return True
    students = _STAGE_STUDENTS.get(stage or "")
    if students is None or type_code == "special":
        return False
    n = row.get(students)
    return isinstance(n, int | float) and n > 0


def _value(row: Mapping[str, object], key: str) -> float | None:
    v = row.get(key)
    if v is None and key in _BLANK_IS_ZERO:
        return 0.0
    return float(v) if isinstance(v, int | float) else None


def _consistent(row: Mapping[str, object]) -> bool:
    p, j = _value(row, "p_teachers"), _value(row, "j_teachers")
    teachers = None if p is None and j is None else (p or 0.0) + (j or 0.0)
    for part, whole in CONSISTENCY:
        pv = _value(row, part)
        wv = teachers if whole == "teachers" else _value(row, whole)
        if pv is not None and wv is not None and pv > wv + 1e-9:
            return False
    return True


def plainly_valid(row: Mapping[str, object]) -> bool:
    """True when the reader would accept *row* (contract keys, display values as an entry
    form gives them: ``type`` "小学", numbers, booleans) without a finding; False when
    it might not, and the reader must decide."""
    if not all(_cell_ok(col, row.get(col.key)) for col in SCHOOL_COLUMNS):
        return False
    type_code = SCHOOL_TYPES[str(row["type"])]
    for col in _STAGED:
        if row.get(col.key) is None and _needed(col, type_code, row):
            return False
    return _consistent(row)


__all__ = ["plainly_valid"]
