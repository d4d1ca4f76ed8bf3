"""The figures of detail lines written by Polars for every county at once, character for
character as :mod:`junheng.display` and :func:`junheng.engine.rules.num` print one figure
in Python: half-up on the shortest decimal of the float, the exact figure beside a printed
one that would read the other way than the verdict."""

from __future__ import annotations

import polars as pl

from ..display import DASH, TOLERANCE, Comparison
from .rules import BLANK

c = pl.col
Threshold = float | pl.Expr
_SPILL = 8
"""Extra decimals :func:`junheng.display.exact_for` tries before giving up."""


_ZEROS = pl.lit("0" * 400)


def _decimal(v: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The whole and fractional digits of |v| as written positionally, from the shortest
    round-trip decimal Polars prints (as repr does, exponent forms included)."""
    g = v.abs().cast(pl.String).str.extract_groups(r"^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$")
    i, f = g.struct.field("1"), g.struct.field("2").fill_null("")
    e = g.struct.field("3").cast(pl.Int64).fill_null(0)
    whole = (
        pl.when(e < 0).then(pl.lit("0"))
        .when(e > 0).then(pl.concat_str(i, f, _ZEROS).str.slice(0, e.clip(0) + 1))
        .otherwise(i)
    )  # fmt: skip
    frac = (
        pl.when(e < 0).then(pl.concat_str(_ZEROS.str.slice(0, (-e - 1).clip(0)), i, f))
        .when(e > 0).then(f.str.slice(e.clip(0)))
        .otherwise(f)
    )  # fmt: skip
    return whole, frac


def fmt_e(x: pl.Expr, digits: int, none: str = DASH) -> pl.Expr:
    """:func:`junheng.display.fmt` of every value; *none* where there is no finite one."""
    v = x.cast(pl.Float64)
    whole, frac = _decimal(v)
    padded = pl.concat_str(frac, pl.lit("0" * (digits + 1)))
    up = (padded.str.slice(digits, 1) >= "5").cast(pl.Int64)
    scale = 10**digits
    # whole and decimals apart: together they would not fit in 64 bits
    kept = (padded.str.slice(0, digits).cast(pl.Int64, strict=False).fill_null(0) if digits else pl.lit(0)) + up  # fmt: skip
    whole_n = whole.cast(pl.Int64, strict=False) + kept // scale
    text = pl.coalesce(whole_n.cast(pl.String), whole)
    if digits:
        text = pl.concat_str(text, pl.lit("."), (kept % scale).cast(pl.String).str.zfill(digits))
    nonzero = (whole_n != 0) | (kept % scale != 0)
    signed = pl.when((v < 0) & nonzero).then(pl.concat_str(pl.lit("-"), text)).otherwise(text)
    return pl.when(v.is_finite()).then(signed).otherwise(pl.lit(none))


def num_e(x: pl.Expr, digits: int = 0) -> pl.Expr:
    """:func:`junheng.engine.rules.num`: a blank where there is no figure."""
    return fmt_e(x, digits, BLANK)


def _holds(x: pl.Expr, op: Comparison, threshold: Threshold) -> pl.Expr:
    if op == ">=":
        return x >= threshold - TOLERANCE
    if op == ">":
        return x > threshold
    if op == "<=":
        return x <= threshold + TOLERANCE
    return x < threshold


def _contradicts(v: pl.Expr, op: Comparison, threshold: Threshold, digits: int) -> pl.Expr:
    printed = fmt_e(v, digits).cast(pl.Float64, strict=False)
    return v.is_finite() & (_holds(v, op, threshold) != _holds(printed, op, threshold))


def quoted_e(v: pl.Expr, op: Comparison, threshold: Threshold, digits: int, *, exact_digits: int = 4,
             unit: str = "", judged_exact: bool = True) -> pl.Expr:  # fmt: skip
    """:func:`junheng.display.quoted` of every value."""
    v = v.cast(pl.Float64)
    text = pl.concat_str(fmt_e(v, digits), pl.when(v.is_finite()).then(pl.lit(unit)).otherwise(pl.lit("")))  # fmt: skip
    if not judged_exact:
        return text
    exact = pl.coalesce(
        *(pl.when(~_contradicts(v, op, threshold, d)).then(fmt_e(v, d))
          for d in range(exact_digits, exact_digits + _SPILL)),
        v.cast(pl.String),
    )  # fmt: skip
    quote = pl.concat_str(text, pl.lit("（精确值"), exact, pl.lit(f"{unit}）"))
    return pl.when(_contradicts(v, op, threshold, digits).fill_null(False)).then(quote).otherwise(text)  # fmt: skip


def rate_e(a: pl.Expr, b: pl.Expr, need: Threshold | None = None, judged_exact: bool = True) -> pl.Expr:
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
