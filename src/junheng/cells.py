"""Parsing one cell of the contract workbook into a typed value, or saying why not."""

from __future__ import annotations

import datetime as dt
import math
import re

from .contract import LEVELS, YES_NO, Column, Kind, normalise_header, school_type_code

Value = str | int | float | bool | None

_LEVEL_ALIASES = {
    "Ⅰ": 1, "I": 1, "1": 1, "一": 1,
    "Ⅱ": 2, "II": 2, "2": 2, "二": 2,
    "Ⅲ": 3, "III": 3, "3": 3, "三": 3,
    "Ⅳ": 4, "IV": 4, "4": 4, "四": 4,
}  # fmt: skip
_TRUE = {"是", "有", "Y", "YES", "TRUE", "√"}
_FALSE = {"否", "无", "N", "NO", "FALSE", "×"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class CellError(ValueError):
    """The cell does not hold what its column expects; the text says what was expected."""


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def show(raw: object) -> str:
    """The value as the user typed it, for messages."""
    if isinstance(raw, bool):  # as Excel and WPS show a logical cell, not Python's True
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def _number(raw: object) -> float:
    if isinstance(raw, bool | dt.date | dt.time | dt.timedelta):
        raise CellError("应为数字")
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw).strip().replace(",", "").replace("，", "")
        if not _NUMBER.match(text):
            raise CellError("应为数字")
        value = float(text)
    if math.isnan(value) or math.isinf(value):
        raise CellError("应为数字")
    return value


def parse_text(raw: object) -> str:
    if isinstance(raw, bool | float):
        return show(raw)
    return str(raw).strip()


def parse_cell(col: Column, raw: object) -> Value:
    """Typed value of a non-blank cell; raises :class:`CellError` with what was expected."""
    if col.kind is Kind.TEXT:
        return parse_text(raw)
    if col.kind is Kind.INT:
        value = _number(raw)
        if not value.is_integer():
            raise CellError("应为整数")
        if value < 0:
            raise CellError("不能为负数")
        return int(value)
    if col.kind is Kind.NUMBER:
        value = _number(raw)
        if value < 0:
            raise CellError("不能为负数")
        if col.percent_points and 0 < value <= 1:
            # a cell formatted as % holds 0.96 for “96%”: refuse rather than guess
            raise CellError("像是小数比例：请填写百分数，如 96 表示 96%")
        if col.max_value is not None and value > col.max_value:
            raise CellError(f"不能大于{col.max_value:g}")
        return value
    text = normalise_header(parse_text(raw))
    if col.kind is Kind.BOOL:
        if raw is True or text.upper() in _TRUE:
            return True
        if raw is False or text.upper() in _FALSE:
            return False
        raise CellError(f"应为“{'”或“'.join(YES_NO)}”")
    if col.kind is Kind.LEVEL:
        level = _LEVEL_ALIASES.get(text.upper().removesuffix("级"))
        if level is None:
            raise CellError(f"应为等级 {'、'.join(LEVELS)} 之一")
        return level
    if col.key == "type":
        code = school_type_code(text)
        if code is None:
            raise CellError(f"应为以下办学类型之一：{'、'.join(col.choices)}")
        return code
    if text not in col.choices:
        raise CellError(f"应为以下之一：{'、'.join(col.choices)}")
    return text
