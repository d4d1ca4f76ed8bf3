"""The figures of detail lines written by Polars for every county at once, character for
character as :mod:`junheng.display` and :func:`junheng.engine.rules.num` print one figure
in Python: half-up on the shortest decimal of the float, the exact figure beside a printed
one that would read the other way than the verdict."""

from __future__ import annotations

from functools import partial

import polars as pl

from ..display import DASH, TOLERANCE, Comparison, fmt, rounded
from .rules import BLANK

c = pl.col
Threshold = float | pl.Expr
_SPILL = 8
"""Extra decimals :func:`junheng.display.exact_for` tries before giving up."""


def _round(v: pl.Series, digits: int, none: str = DASH) -> tuple[pl.Series, pl.Series]:
    """:func:`junheng.display.fmt` of every value of *v*, and the printed figure as a number
    (:func:`junheng.display.rounded`). Rounding the scaled binary value half-up gives what
    rounding its shortest decimal gives, except next to a tie (2.675 is 2.67499… in binary):
    those few values are printed by display.fmt itself."""
    if v.dtype.is_integer() and digits == 0:  # counts: printed as they are
        return v.cast(pl.String).fill_null(none), v.cast(pl.Float64)
    scale = 10**digits
    frame = pl.DataFrame({"_v": v.cast(pl.Float64)}).with_columns(_y=c("_v").abs() * scale)
    frame = frame.with_columns(
        _k=(c("_y") + 0.5).floor().cast(pl.Int64, strict=False),
        _near=((c("_y") - c("_y").floor() - 0.5).abs() < pl.max_horizontal(c("_y") * 1e-12, pl.lit(1e-6)))
        | (c("_y") >= 1e15),
    )  # fmt: skip
    k, negative = c("_k"), (c("_v") < 0) & (c("_k") != 0)
    text = pl.concat_str(
        pl.when(negative).then(pl.lit("-")).otherwise(pl.lit("")),
        (k // scale).cast(pl.String),
        *((pl.lit("."), (k % scale).cast(pl.String).str.zfill(digits)) if digits else ()),
    )
    finite = c("_v").is_finite()
    out = frame.select(
        pl.when(finite).then(text).otherwise(pl.lit(none)).alias("t"),
        pl.when(finite).then(pl.when(negative).then(-k).otherwise(k) / scale).alias("r"),
    )
    texts, values = out["t"], out["r"]
    near = frame["_near"].fill_null(False) & frame["_v"].is_finite().fill_null(False)
    if near.any():
        rows = near.arg_true()
        exact = frame["_v"].gather(rows).to_list()
        texts = texts.scatter(rows, [fmt(x, digits) for x in exact])
        values = values.scatter(rows, [rounded(x, digits) for x in exact])
    return texts, values


def _fmt(v: pl.Series, digits: int, none: str = DASH) -> pl.Series:
    return _round(v, digits, none)[0]


def fmt_e(x: pl.Expr, digits: int, none: str = DASH) -> pl.Expr:
    """:func:`junheng.display.fmt` of every value; *none* where there is no finite one."""
    return x.map_batches(partial(_fmt, digits=digits, none=none), return_dtype=pl.String)


def num_e(x: pl.Expr, digits: int = 0) -> pl.Expr:
    """:func:`junheng.engine.rules.num`: a blank where there is no figure."""
    return fmt_e(x, digits, BLANK)


def _holds(x: pl.Series, op: Comparison, threshold: pl.Series) -> pl.Series:
    if op == ">=":
        return x >= threshold - TOLERANCE
    if op == ">":
        return x > threshold
    if op == "<=":
        return x <= threshold + TOLERANCE
    return x < threshold


def _contradicts(v: pl.Series, op: Comparison, threshold: pl.Series, digits: int,
                 printed: pl.Series | None = None) -> pl.Series:  # fmt: skip
    if printed is None:
        printed = _round(v, digits)[1]
    return (v.is_finite() & (_holds(v, op, threshold) != _holds(printed, op, threshold))).fill_null(False)  # fmt: skip


def _quoted(pair: pl.Series, op: Comparison, digits: int, exact_digits: int, unit: str,
            judged_exact: bool) -> pl.Series:  # fmt: skip
    v, threshold = pair.struct.field("v"), pair.struct.field("t")
    shown, printed = _round(v, digits)
    text = shown + pl.Series([unit]).new_from_index(0, len(v)).zip_with(v.is_finite(), pl.Series([""]).new_from_index(0, len(v)))  # fmt: skip
    if not judged_exact:
        return text
    quote = _contradicts(v, op, threshold, digits, printed)
    if not quote.any():
        return text
    # the exact figure, only where the printed one would mislead: as many decimals as it takes
    rows = quote.arg_true()
    sv, st = v.gather(rows), threshold.gather(rows)
    exact = sv.cast(pl.String)
    open_ = pl.Series([True] * len(rows))
    for d in range(exact_digits, exact_digits + _SPILL):
        shown_d, printed_d = _round(sv, d)
        fits = open_ & ~_contradicts(sv, op, st, d, printed_d)
        exact = shown_d.zip_with(fits, exact)
        open_ = open_ & ~fits
        if not open_.any():
            break
    return text.scatter(rows, text.gather(rows) + "（精确值" + exact + f"{unit}）")


def quoted_e(v: pl.Expr, op: Comparison, threshold: Threshold, digits: int, *, exact_digits: int = 4,
             unit: str = "", judged_exact: bool = True) -> pl.Expr:  # fmt: skip
    """:func:`junheng.display.quoted` of every value."""
    t = threshold if isinstance(threshold, pl.Expr) else pl.lit(threshold, pl.Float64)
    pair = pl.struct(v.cast(pl.Float64).alias("v"), t.cast(pl.Float64).alias("t"))
    run = partial(_quoted, op=op, digits=digits, exact_digits=exact_digits, unit=unit, judged_exact=judged_exact)  # fmt: skip
    return pair.map_batches(run, return_dtype=pl.String)


def rate_e(
    a: pl.Expr, b: pl.Expr, need: Threshold | None = None, judged_exact: bool = True
) -> pl.Expr:
    """:func:`junheng.engine.rules.rate`: a ÷ b as a percentage, quoted against *need*."""
    share = a.cast(pl.Float64) / b.cast(pl.Float64)
    pct = share * 100
    if need is None:
        text = pl.when(pct.is_finite()).then(pl.concat_str(fmt_e(pct, 1), pl.lit("%")))
    else:
        text = pl.when(pct.is_finite()).then(
            quoted_e(pct, ">=", need * 100, 1, exact_digits=2, unit="%", judged_exact=judged_exact)
        )
    valid = a.is_not_null() & b.is_not_null() & (b != 0)
    return pl.when(valid).then(text.otherwise(pl.lit(DASH))).otherwise(pl.lit(BLANK + "%"))


def yes_no_e(x: pl.Expr, yes: str = "是", no: str = "否") -> pl.Expr:
    return pl.when(x.eq_missing(True)).then(pl.lit(yes)).when(x.eq_missing(False)).then(pl.lit(no)).otherwise(pl.lit("未填报"))  # fmt: skip


def names_e(x: pl.Expr, limit: int = 5) -> pl.Expr:
    """:func:`junheng.engine.rules.names`: the first few school names, then 等N所."""
    n = x.list.len().fill_null(0)
    more = pl.when(n > limit).then(pl.concat_str(pl.lit("等"), n.cast(pl.String), pl.lit("所")))
    return pl.concat_str(x.list.head(limit).list.join("、").fill_null(""), more.otherwise(pl.lit("")))  # fmt: skip


def positive(x: pl.Expr) -> pl.Expr:
    """A Python truth test of a count: present and not 0."""
    return x.fill_null(0) != 0
