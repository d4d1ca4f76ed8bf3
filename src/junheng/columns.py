"""Vectorised cell validation: raw sheet cells → typed Polars columns and the cells in error.

Python touches each cell once, only to split it into a number column and a text column
(the parser hands over ``float``/``str``); every check after that is a Polars expression.
The rare other values (booleans, dates, ints from records) go through
:func:`junheng.cells.parse_cell` one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import polars as pl

from .cells import _FALSE, _LEVEL_ALIASES, _TRUE, CellError, parse_cell, show
from .contract import LEVELS, SCHOOL_TYPES, TYPE_STAGES, YES_NO, Column, Kind
from .errors import Finding
from .limits import Limits, plausibility

NA_MARKS = ("/", "／", "\\", "-", "－", "—", "——", "–", "无", "不适用")
"""Marks meaning "this school has no such stage" (data contract)."""
INVISIBLE = "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"
_INVISIBLE_CHARS = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
_FULL = [chr(0xFF10 + i) for i in range(10)] + ["．", "，", "－", "＋", "　"]
_HALF = [str(i) for i in range(10)] + [".", ",", "-", "+", " "]
_FAIL = "\x00"  # prefix of a text standing for a cell already judged invalid
_STAGE_BY_PREFIX = {"p": "primary", "j": "junior", "s": "senior"}
_CODE_KEYS = ("code", "county_code")

c = pl.col


@dataclass(frozen=True, slots=True)
class Parsed:
    values: pl.DataFrame
    """``_row`` and one typed column per contract column (null where blank or invalid)."""
    invalid: pl.DataFrame
    """``_row`` and one boolean column per contract column: the cell was reported."""
    findings: list[Finding]


def _stage(col: Column) -> str | None:
    if col.stage in ("primary", "junior", "senior", "any"):
        return col.stage
    prefix = col.key.split("_", 1)[0]
    return _STAGE_BY_PREFIX.get(prefix) if "_" in col.key else None


def _lacking(stage: str) -> list[str]:
    if stage == "any":
        return ["special"]
    return [t for t, stages in TYPE_STAGES.items() if stage not in stages]


def _other(col: Column, value: object) -> object:
    """A cell neither number nor text, turned into the number or text that means the same."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value) if col.kind is not Kind.TEXT else str(value)
    try:
        parsed = parse_cell(col, value)
    except CellError as exc:
        return _FAIL + str(exc)
    if isinstance(parsed, bool):
        return YES_NO[0] if parsed else YES_NO[1]
    if col.kind is Kind.LEVEL and isinstance(parsed, int):
        return LEVELS[parsed - 1]
    if col.key == "type" and isinstance(parsed, str):
        return {v: k for k, v in SCHOOL_TYPES.items()}[parsed]
    return float(parsed) if isinstance(parsed, int | float) else str(parsed)


def _text(key: str) -> pl.Expr:
    """The cell as text: typed text, or the shortest exact decimal of a number."""
    return pl.coalesce(c(f"t_{key}"), c(f"f_{key}").cast(pl.String))


def _nulls(dtype: Any, n: int) -> pl.Series:
    return pl.Series([None], dtype=dtype).new_from_index(0, n)  # no query, unlike pl.repeat


def _split(col: Column, values: list[object]) -> tuple[pl.Series, pl.Series]:
    """One column's cells as a number column and a text column. Most columns hold one
    type only and go to Polars whole; a mixed one is split cell by cell, and the rare
    cells neither number nor text (booleans, dates, ints) are replaced by what they mean."""
    kinds = set(map(type, values))
    blanks = values.count(None) if type(None) in kinds else 0
    kinds.discard(type(None))
    if kinds <= {float}:
        return pl.Series(values, dtype=pl.Float64), _nulls(pl.String, len(values))
    if kinds <= {str}:
        return _nulls(pl.Float64, len(values)), pl.Series(values, dtype=pl.String)
    if not kinds <= {float, str}:
        values = [v if v is None or v.__class__ in (float, str) else _other(col, v) for v in values]  # fmt: skip
    nums = pl.Series([v if v.__class__ is float else None for v in values], dtype=pl.Float64)
    if nums.null_count() == values.count("") + blanks:  # numbers and blanks ("")
        return nums, _nulls(pl.String, len(values))
    return nums, pl.Series([v if v.__class__ is str else None for v in values], dtype=pl.String)


def _squeezed(expr: pl.Expr) -> pl.Expr:
    """Text compared with a list: no spaces, half-width, upper case."""
    return expr.str.replace_all(r"\s", "").str.replace_many(_FULL, _HALF).str.to_uppercase()


Built = tuple[dict[str, pl.Expr], pl.Expr, pl.Expr]
"""(helper columns, the error text, the value) of one column; the value may use ``e_<key>``."""


def _number(col: Column, key: str, limits: Limits | None, na_ok: pl.Expr) -> Built:
    t = c(f"t_{key}")
    filled = t.is_not_null() | c(f"f_{key}").is_not_null()  # not _text: no number printed
    cleaned = t.str.replace_many([*_FULL, ",", "，", " "], [*_HALF, "", "", ""])
    parsed = pl.coalesce(c(f"f_{key}"), cleaned.cast(pl.Float64, strict=False))
    prep = {f"n_{key}": parsed, f"a_{key}": t.is_in(NA_MARKS).fill_null(False)}
    num, is_na = c(f"n_{key}"), c(f"a_{key}")
    is_num = num.is_not_null()
    err = (
        pl.when(c(f"t_{key}").str.starts_with(_FAIL)).then(c(f"t_{key}").str.slice(1))
        .when(filled & ~is_num & ~is_na).then(pl.lit("应为数字"))
        .when(is_na & ~na_ok).then(pl.lit("应为数字（“/”“无”等不适用标记只能填在该校没有的学段）"))
        .when(num.is_nan() | num.is_infinite()).then(pl.lit("应为数字"))
        .when(pl.lit(col.kind is Kind.INT) & (num != num.floor())).then(pl.lit("应为整数"))
        .when(num < 0).then(pl.lit("不能为负数"))
    )  # fmt: skip
    if col.percent_points:
        err = err.when((num > 0) & (num <= 1)).then(pl.lit("像是小数比例：请填写百分数，如 96 表示 96%"))  # fmt: skip
    if col.max_value is not None:
        err = err.when(num > col.max_value).then(pl.lit(f"不能大于{col.max_value:g}"))
    bound = plausibility(col, limits) if limits is not None else None
    if bound is not None:
        lim, name = bound
        err = err.when(num > lim).then(pl.lit(
            f"不合常理：一所学校不应超过{lim:,}{col.unit}，请核对；上限可用环境变量 JUNHENG_{name} 调整"))  # fmt: skip
    value: pl.Expr = pl.when(c(f"e_{key}").is_null() & ~is_na).then(num)
    if col.blank_is_zero:
        value = (
            pl.when(c(f"t_{key}").is_null() & c(f"f_{key}").is_null()).then(0.0).otherwise(value)
        )
    if col.kind is Kind.INT:
        value = value.cast(pl.Int64, strict=False)
    return prep, err.otherwise(pl.lit(None, pl.String)), value


def _listed(col: Column, key: str) -> Built:
    text = _text(key)
    shown = text
    word = _squeezed(shown)
    expected: str
    if col.kind is Kind.BOOL:
        table: dict[str, Any] = {**{t: True for t in _TRUE}, **{t: False for t in _FALSE}}
        dtype: Any = pl.Boolean
        expected = f"应为“{'”或“'.join(YES_NO)}”"
    elif col.kind is Kind.LEVEL:
        table = {k: v for k, v in _LEVEL_ALIASES.items()} | {f"{k}级": v for k, v in _LEVEL_ALIASES.items()}  # fmt: skip
        word = word.str.replace(r"^(\d)\.0$", "$1")
        dtype = pl.Int64
        expected = f"应为等级 {'、'.join(LEVELS)} 之一"
    elif col.key == "type":
        table = {**SCHOOL_TYPES, **{k.removesuffix("学校"): v for k, v in SCHOOL_TYPES.items()}}
        dtype = pl.String
        expected = f"应为以下办学类型之一：{'、'.join(col.choices)}"
    else:
        table = {ch: ch for ch in col.choices}
        dtype = pl.String
        expected = f"应为以下之一：{'、'.join(col.choices)}"
    prep = {f"w_{key}": word.replace_strict(list(table), list(table.values()), default=None, return_dtype=dtype)}  # fmt: skip
    value = c(f"w_{key}")
    err = (
        pl.when(text.str.starts_with(_FAIL)).then(text.str.slice(1))
        .when(shown.is_not_null() & value.is_null()).then(pl.lit(expected))
        .otherwise(pl.lit(None, pl.String))
    )  # fmt: skip
    return prep, err, pl.when(c(f"e_{key}").is_null()).then(value)


def _plain_text(col: Column, key: str) -> Built:
    value = _text(key).str.replace(r"^(\d+)\.0$", "$1")
    if key in _CODE_KEYS:
        value = value.str.replace_many(_FULL, _HALF).str.replace_all(r"\s", "")
    prep = {f"w_{key}": value}
    value = c(f"w_{key}")
    err = pl.when(value.str.starts_with(_FAIL)).then(value.str.slice(1)).otherwise(pl.lit(None, pl.String))  # fmt: skip
    return prep, err, pl.when(c(f"e_{key}").is_null()).then(value)


def parse_columns(
    sheet: str,
    body: Sequence[Sequence[object]],
    first_row: int,
    position: dict[str, int],
    columns: Sequence[Column],
    limits: Limits | None,
) -> Parsed:
    """Typed values of *columns* (placed at *position*) in the *body* rows of *sheet*;
    *first_row* is the Excel row number of ``body[0]``. Blank rows are left out. With
    *limits*, counts, areas and money above the per-school plausibility limits are errors."""
    width = max(position.values(), default=-1) + 1
    rows: Sequence[Sequence[object]] = body
    if rows and any(len(r) != len(body[0]) or len(r) < width for r in body):
        full = max(width, max(map(len, body)))
        rows = [list(r) + [None] * (full - len(r)) for r in body]
    stride = len(rows[0]) if rows else 1
    by_key = {col.key: col for col in columns}
    # each wanted column is a slice of one flat list: no per-cell Python for one-type columns
    flat: list[object] = list(chain.from_iterable(rows))
    data: dict[str, pl.Series] = {"_i": pl.int_range(0, len(rows), dtype=pl.Int64, eager=True)}
    texts: list[str] = []
    for key, j in position.items():
        data[f"f_{key}"], data[f"t_{key}"] = _split(by_key[key], flat[j::stride])
        if data[f"t_{key}"].null_count() < len(rows):
            texts.append(f"t_{key}")
    frame = pl.DataFrame(data)
    if texts:
        frame = frame.with_columns(c(t).str.strip_chars() for t in texts)
        if frame.select(pl.any_horizontal(c(t).str.contains_any(_INVISIBLE_CHARS).any() for t in texts)).item():  # fmt: skip
            frame = frame.with_columns(c(t).str.replace_many(_INVISIBLE_CHARS, [""] * len(_INVISIBLE_CHARS)).str.strip_chars() for t in texts)  # fmt: skip
        frame = frame.with_columns(pl.when(c(t) != "").then(c(t)).alias(t) for t in texts)
    filled = [c(f"t_{k}").is_not_null() | c(f"f_{k}").is_not_null() for k in position]
    frame = frame.filter(pl.any_horizontal(filled) if filled else pl.lit(False))
    frame = frame.with_columns(_row=c("_i") + first_row)
    raw = position

    exprs: dict[str, Built] = {}
    if "type" in raw:
        exprs["type"] = _listed(by_key["type"], "type")
        frame = (
            frame.with_columns(**exprs["type"][0])
            .with_columns(exprs["type"][1].alias("e_type"))
            .with_columns(exprs["type"][2].alias("type"))
        )
    has_type = "type" in raw
    for col in columns:
        key = col.key
        if key not in raw or key == "type":
            continue
        if col.kind in (Kind.INT, Kind.NUMBER):
            stage = _stage(col)
            na_ok = (c("type").is_null() | c("type").is_in(_lacking(stage))) if has_type and stage else pl.lit(False)  # fmt: skip
            exprs[key] = _number(col, key, limits, na_ok)
        elif col.kind is Kind.TEXT:
            exprs[key] = _plain_text(col, key)
        else:
            exprs[key] = _listed(col, key)
    rest = {k: v for k, v in exprs.items() if k != "type"}
    out = (
        frame.with_columns(**{n: e for prep, _, _ in rest.values() for n, e in prep.items()})
        .with_columns(**{f"e_{k}": err for k, (_, err, _) in rest.items()})
        .with_columns(**{k: value for k, (_, _, value) in rest.items()})
    )
    findings: list[Finding] = []
    err_cols = [f"e_{k}" for k in exprs]
    if err_cols:
        bad = out.filter(pl.any_horizontal(c(x).is_not_null() for x in err_cols))
        for rec in bad.select("_i", "_row", *err_cols).iter_rows(named=True):
            for k in exprs:
                msg = rec[f"e_{k}"]
                if msg is not None:
                    cell = rows[rec["_i"]][position[k]]
                    findings.append(cell_finding(sheet, rec["_row"], by_key[k], cell, msg))
    n = out.height
    values = out.select(
        "_row",
        *[c(k) if k in raw else pl.lit(None).alias(k) for k in (col.key for col in columns)],
    )
    invalid = out.select(
        "_row",
        *[
            (c(f"e_{k}").is_not_null() if k in exprs else pl.repeat(False, n)).alias(k)
            for k in (col.key for col in columns)
        ],
    )
    return Parsed(values, invalid, findings)


def cell_finding(sheet: str, row: int, col: Column, raw: object, expected: str) -> Finding:
    kind = "negative-number" if "负数" in expected else "invalid-value"
    if col.key == "type":
        kind = "unknown-school-type"
    elif expected.startswith("不合常理"):
        kind = "implausible-value"
    return Finding(
        kind, "数据格式错误",
        f"工作表“{sheet}”第{row}行“{col.header}”列的值“{show(raw)}”有误：{expected}",
        sheet, row, col.header, show(raw),
    )  # fmt: skip
