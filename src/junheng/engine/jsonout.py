"""The evaluation JSON written from the engine's frames.

The per-school parts (school stages, CV drivers, flagged school checks, excluded schools) are
most of the bytes; Polars encodes them column-wise. Only the county-level parts (items, reasons)
go through typed objects and the standard library's C encoder. The result parses to the same
document as ``Evaluation.to_dict``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import polars as pl

from ..contract import SCHOOL_TYPES
from ..results import CountyResult
from ..standard import RESOURCE_KEYS, Standard
from .evaluation import failing_drivers, flagged_checks, no_gc, ordered_stages
from .frames import Frames
from .reasons import gap_meaning_expr

c = pl.col
_COMPACT = (",", ":")
_TYPE_TITLES = {code: name for name, code in SCHOOL_TYPES.items()}


def _finite(frame: pl.DataFrame) -> pl.DataFrame:
    """NaN and ±inf become null: they are not JSON."""
    floats = [n for n, t in frame.schema.items() if t.is_float()]
    if not floats:
        return frame
    return frame.with_columns([pl.when(c(n).is_finite()).then(c(n)).alias(n) for n in floats])


def _per_county(frame: pl.DataFrame, encoded: pl.Expr, by: tuple[str, ...] = ("county_code",),
                sep: str = ",") -> pl.DataFrame:  # fmt: skip
    """One string per group: the group's encoded rows joined, in frame order."""
    return frame.group_by(*by, maintain_order=True).agg(_json=encoded.str.join(sep))


def _sliced(frame: pl.DataFrame, encoded: pl.Expr) -> dict[str, list[bytes]]:
    """As :func:`_per_county` for a *frame* sorted by county, without grouping: the encoded
    rows (a comma before all but each county's first) as one list, each county a stretch of
    it. Grouping and joining would copy the bulk of the JSON twice more."""
    first = (c("county_code") != c("county_code").shift()).fill_null(True)
    rows = frame.select(
        "county_code",
        _t=pl.concat_str(pl.when(first).then(pl.lit("")).otherwise(pl.lit(",")), encoded),
    )
    ends = rows.group_by("county_code", maintain_order=True).len().with_columns(c("len").cum_sum())
    parts: list[bytes] = rows["_t"].cast(pl.Binary).to_list()
    out: dict[str, list[bytes]] = {}
    start = 0
    for code, end in ends.iter_rows():
        out[code], start = parts[start:end], end
    return out


def _lookup(frame: pl.DataFrame) -> dict[str, bytes]:
    # as UTF-8 bytes: a Python str of Chinese text would be decoded here and encoded again
    # when written, twice the size of the file in copies
    texts = frame["_json"].cast(pl.Binary).to_list()
    return dict(zip(frame["county_code"].to_list(), texts, strict=True))


def _num(expr: pl.Expr) -> pl.Expr:
    # Polars prints floats as its JSON encoder does (shortest round trip)
    return expr.cast(pl.String).fill_null("null")


def _array(pieces: Sequence[pl.Expr]) -> pl.Expr:
    """A JSON array of the non-null *pieces* (each already JSON text)."""
    return pl.concat_str(pl.lit("["), pl.concat_str(pieces, separator=",", ignore_nulls=True),
                         pl.lit("]"))  # fmt: skip


def _gaps(long: pl.DataFrame, below: dict[str, pl.Expr], standard: Standard) -> pl.Series:
    """The JSON array items of each school's gaps (row by row with *long*, "" where none):
    written only for the quarter of school-indicator pairs below the standard, each placed
    back at its row, so no sort or grouping is needed to gather a school's gaps."""
    units = {k: json.dumps(standard.indicator(k).gap_unit, ensure_ascii=False)
             for k in RESOURCE_KEYS}  # fmt: skip
    pieces = pl.collect_all([
        long.lazy().filter(below[k]).select("_r", _g=pl.concat_str(
            pl.lit(f'{{"indicator":"{k}","unit":{units[k]},"to_standard":'), _num(c(f"gap_{k}")),
            pl.lit(',"to_floor":'), _num(c(f"gap85_{k}")),
            pl.lit(',"meaning":"'), _escaped(gap_meaning_expr(k, standard)), pl.lit('"}'),
        ))
        for k in RESOURCE_KEYS
    ])  # fmt: skip
    null = pl.Series([None], dtype=pl.String)
    # a gap whose text is null (no figure) is left out, as _array leaves out null pieces
    placed = [null.new_from_index(0, long.height).scatter(p["_r"], p["_g"]).alias(k)
              for k, p in zip(RESOURCE_KEYS, pieces, strict=True)]  # fmt: skip
    return pl.DataFrame(placed).select(pl.concat_str(pl.all(), separator=",", ignore_nulls=True)).to_series()  # fmt: skip


def _schools(fr: Frames) -> dict[str, list[bytes]]:
    long = _finite(ordered_stages(fr.school_stages)).with_row_index("_r")
    # a concat_list of structs costs seconds at national scale; the lists are written as text
    below = {k: ~c(f"met_{k}").fill_null(False) for k in RESOURCE_KEYS}
    low = {k: ~c(f"floor_{k}").fill_null(False) for k in RESOURCE_KEYS}
    long = long.with_columns(_gaps=_gaps(long, below, fr.standard))
    head = pl.struct(
        "code", "name", "stage", "type", "sponsor", "students", "classes",
        pl.struct(*RESOURCE_KEYS).alias("values"), "met",
        c("passed").fill_null(False).alias("pass"),
    ).struct.json_encode()  # fmt: skip
    school = pl.concat_str(
        head.str.strip_suffix("}"),
        pl.lit(',"below_standard":'), _array([pl.when(v).then(pl.lit(f'"{k}"')) for k, v in below.items()]),
        pl.lit(',"below_floor":'), _array([pl.when(v).then(pl.lit(f'"{k}"')) for k, v in low.items()]),
        pl.lit(',"gaps":['), c("_gaps").fill_null(""), pl.lit("]}"),
    )  # fmt: skip
    return _sliced(long, school)


def _stages(fr: Frames) -> dict[str, bytes]:
    stages = _finite(fr.county_stages.sort("county_code", c("stage") == "junior"))
    drivers = _finite(failing_drivers(fr))
    driver = pl.struct("code", "name", "students", "value", share="contribution")
    per_ind = _per_county(
        drivers, driver.struct.json_encode(), ("county_code", "stage", "indicator")
    )
    per_ind = per_ind.select(
        "county_code", "stage", _json=pl.format('"{}":[{}]', "indicator", "_json")
    )
    per_stage = _per_county(per_ind, c("_json"), ("county_code", "stage"))

    def by_key(prefix: str, cast: pl.Expr | None = None) -> pl.Expr:
        cols = {k: c(f"{prefix}{k}") for k in RESOURCE_KEYS}
        if cast is not None:
            cols = {k: v.fill_null(False) for k, v in cols.items()}
        return pl.struct([v.alias(k) for k, v in cols.items()])

    body = pl.struct(
        "schools", "schools_passing", "students",
        mean=by_key("mean_"), cv=by_key("cv_"), cv_pass=by_key("cv_pass_", pl.lit(False)),
        schools_meeting=by_key("met_count_"),
    ).struct.json_encode()  # fmt: skip
    joined = stages.join(
        per_stage.rename({"_json": "_drivers"}), on=["county_code", "stage"], how="left",
        maintain_order="left",
    ).with_columns(_body=body)  # fmt: skip
    entry = pl.concat_str(
        pl.lit('"'), c("stage"), pl.lit('":'), c("_body").str.strip_suffix("}"),
        pl.lit(',"cv_drivers":{'), c("_drivers").fill_null(""), pl.lit("}}"),
    )  # fmt: skip
    return _lookup(_per_county(joined, entry))


def _checks(fr: Frames) -> dict[str, bytes]:
    flagged = _finite(flagged_checks(fr))
    return _lookup(_per_county(flagged, pl.struct(flagged.columns).struct.json_encode()))


def _escaped(text: pl.Expr) -> pl.Expr:
    """Text as the inside of a JSON string (titles come from standard files a county edits)."""
    return text.str.replace_all("\\", "\\\\", literal=True).str.replace_all(
        '"', '\\"', literal=True
    )


def _excluded(fr: Frames) -> dict[str, bytes]:
    ex = fr.excluded
    row = pl.struct(
        "code", "name", type=c("type").replace_strict(_TYPE_TITLES, default=c("type")),
        reason=c("reason"),
    )  # fmt: skip
    return _lookup(_per_county(ex, row.struct.json_encode()))


def _dumps(value: object) -> bytes:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=_COMPACT).encode()
    except ValueError:  # a NaN or ±inf somewhere: null, as in the per-school parts
        return json.dumps(_finite_values(value), ensure_ascii=False, separators=_COMPACT).encode()


def _finite_values(value: object) -> object:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite_values(v) for v in value]
    return value


def _county_ends(cr: CountyResult) -> tuple[bytes, bytes]:
    """The county's JSON before its per-school parts and after them, made from the typed
    result (items and reasons) while Polars writes the per-school parts."""
    head = _dumps({
        "code": cr.code, "name": cr.name, "city": cr.city, "province": cr.province,
        "year": cr.year, "recognised": cr.recognised, "reasons": cr.reasons, "notes": cr.notes,
    })  # fmt: skip
    tail = _dumps({
        "guarantee": cr.guarantee.to_dict(), "quality": cr.quality.to_dict(),
        "recognition": cr.recognition.to_dict(), "local": cr.local.to_dict(),
        "eligibility": cr.eligibility.to_dict(), "vetoes": cr.vetoes,
        "vetoes_unreported": cr.vetoes_unreported,
    })  # fmt: skip
    return (head[:-1] + b',"resource":{"pass":' + _dumps(cr.resource.passed) + b',"stages":{',
            b"]}," + tail[1:-1] + b',"school_checks":[')  # fmt: skip


def _encoded(
    fr: Frames,
) -> tuple[dict[str, bytes], dict[str, list[bytes]], dict[str, bytes], dict[str, bytes]]:
    return _stages(fr), _schools(fr), _checks(fr), _excluded(fr)


def evaluation_json(
    fr: Frames, counties: Sequence[CountyResult], source: str
) -> Iterator[bytes | memoryview]:
    """The whole evaluation as compact UTF-8 JSON, in pieces, as ``Evaluation.to_dict``
    would give it."""
    # Polars encodes the per-school parts without the GIL while this thread builds the
    # county-level parts in Python: on two cores the two overlap
    with ThreadPoolExecutor(1) as pool, no_gc():
        job = pool.submit(_encoded, fr)
        ends = [(cr.code, *_county_ends(cr)) for cr in counties]
        stages, schools, checks, excluded = job.result()
    std = fr.standard
    head = _dumps({"standard": std.id, "standard_title": std.title,
                   "standard_version": std.version, "source": source})  # fmt: skip
    yield head[:-1] + b',"counties":['
    for i, (code, before, after) in enumerate(ends):
        yield from (
            b"," if i else b"", before, stages.get(code, b""), b'},"schools":[',
            *schools.get(code, ()), b'],"excluded":[', excluded.get(code, b""), after,
            checks.get(code, b""), b"]}",
        )  # fmt: skip
    yield b"]}"


__all__ = ["evaluation_json"]
