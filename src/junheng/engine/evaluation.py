"""Typed per-county results built on demand from the engine's frames.

A national run has 2,900 counties and 200,000 school stages; building a typed object for each of
them takes far longer than the evaluation itself, and most outputs need few of them (the JSON is
written from the frames). So a county's result is built when it is first read, and within it the
per-school lists are built when they are first read.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import Any, TypeVar, overload

import polars as pl

from ..results import CountyResult, SchoolResult
from ..standard import RESOURCE_KEYS
from .frames import Frames

T = TypeVar("T")
FAILING_SHOWN = 5
"""Failing schools the engine names per stage in a county's reasons."""

CHECK_COLS = ("county_code", "code", "name", "type", "compulsory", "classes_total", "rooms_needed",
              "music_ok", "art_ok", "music_short", "art_short", "oversize", "public_funds",
              "training_funds", "training_short")  # fmt: skip


@contextmanager
def no_gc() -> Iterator[None]:
    """The cycle collector paused while many acyclic objects are made: otherwise its full
    passes over everything already built take close to half the time of building a nation."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class Lazy(Sequence[T]):
    """A list made by *make* the first time it is read."""

    __slots__ = ("_items", "_make")

    def __init__(self, make: Callable[[], list[T]]) -> None:
        self._make: Callable[[], list[T]] | None = make
        self._items: list[T] = []

    @property
    def items(self) -> list[T]:
        if self._make is not None:
            self._items, self._make = self._make(), None
        return self._items

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        return self.items[i]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and self.items == list(other)

    def __hash__(self) -> int:
        raise TypeError("unhashable type: 'Lazy'")

    def __repr__(self) -> str:
        return repr(self.items)


class LazyMap(Mapping[str, T]):
    """A mapping made by *make* the first time it is read."""

    __slots__ = ("_items", "_make")

    def __init__(self, make: Callable[[], dict[str, T]]) -> None:
        self._make: Callable[[], dict[str, T]] | None = make
        self._items: dict[str, T] = {}

    @property
    def items_(self) -> dict[str, T]:
        if self._make is not None:
            self._items, self._make = self._make(), None
        return self._items

    def __getitem__(self, key: str) -> T:
        return self.items_[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.items_)

    def __len__(self) -> int:
        return len(self.items_)

    def __repr__(self) -> str:
        return repr(self.items_)


def group_rows(frame: pl.DataFrame, key: str = "county_code") -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with no_gc():
        for row in frame.to_dicts():
            out[row[key]].append(row)
    return out


def ordered_stages(frame: pl.DataFrame) -> pl.DataFrame:
    """County, then 小学 before 初中, then school code: the order of every per-school list."""
    return frame.sort("county_code", pl.col("stage") == "junior", "code")


def flagged_checks(fr: Frames) -> pl.DataFrame:
    """Schools with a shortfall on the school-level guarantee or quality checks."""
    return fr.school_checks.filter(
        pl.col("room_fail").fill_null(False)
        | pl.col("oversize")
        | pl.col("training_fail").fill_null(False)
    ).select(CHECK_COLS)


def failing_drivers(fr: Frames) -> pl.DataFrame:
    """The CV drivers of the indicators whose CV fails (the engine finds them for every
    indicator of a failing stage), in engine order."""
    fails = fr.county_stages.select(
        "county_code",
        "stage",
        *[pl.col(f"cv_pass_{k}").fill_null(False).alias(k) for k in RESOURCE_KEYS],
    ).unpivot(index=["county_code", "stage"], variable_name="indicator", value_name="_ok")
    return fr.drivers.join(
        fails.filter(~pl.col("_ok")).drop("_ok"), on=["county_code", "stage", "indicator"],
        how="semi", maintain_order="left",
    )  # fmt: skip


class CountyFrames:
    """The frames of one run, split by county once, the first time a part is needed."""

    def __init__(self, fr: Frames, schools: Callable[[pl.DataFrame], list[SchoolResult]],
                 why: pl.Expr, texts: Sequence[pl.Expr] = ()) -> None:  # fmt: skip
        self.fr = fr
        self._schools = schools
        self._why = why  # how a failing school reads in a reason, over the long school frame
        # the county rows with the texts Polars writes for all counties at once; the lists of
        # school names only those texts read stay in Polars
        counties = fr.counties
        if texts:
            lists = [c for c, t in counties.schema.items() if isinstance(t, pl.List)]
            counties = counties.with_columns(texts).drop(lists)
        self.rows = counties.sort("county_code").to_dicts()

    @cached_property
    def stages(self) -> dict[str, list[dict[str, Any]]]:
        stages = self.fr.county_stages.sort("county_code", pl.col("stage") == "junior")
        # only what a typed stage reads, not the sums and squares behind the CVs
        keep = [c for c in stages.columns if not c.startswith(("ss_", "all_", "cv_pass_all"))]
        return group_rows(stages.select(keep))

    @cached_property
    def drivers(self) -> dict[str, list[dict[str, Any]]]:
        return group_rows(failing_drivers(self.fr))

    @cached_property
    def _long(self) -> dict[str, pl.DataFrame]:
        return _split(ordered_stages(self.fr.school_stages))

    @cached_property
    def _checks(self) -> dict[str, pl.DataFrame]:
        return _split(flagged_checks(self.fr))

    @cached_property
    def _excluded(self) -> dict[str, pl.DataFrame]:
        return _split(self.fr.excluded)

    @cached_property
    def _failing(self) -> dict[tuple[str, str], tuple[int, list[str]]]:
        """Per county and stage: the number of failing schools and how the first
        FAILING_SHOWN of them read in a reason (written by Polars, no typed school)."""
        fails = ordered_stages(self.fr.school_stages.filter(~pl.col("passed").fill_null(False)))
        fails = fails.with_columns(
            _n=pl.len().over("county_code", "stage"),
            _i=pl.int_range(pl.len()).over("county_code", "stage"),
        ).filter(pl.col("_i") < FAILING_SHOWN)
        shown = fails.group_by("county_code", "stage", maintain_order=True).agg(
            pl.col("_n").first(), self._why.alias("_why")
        )
        return {(code, stage): (n, why) for code, stage, n, why in shown.iter_rows()}

    def schools(self, code: str) -> list[SchoolResult]:
        part = self._long.get(code)
        return [] if part is None else self._schools(part)

    def checks(self, code: str) -> list[dict[str, Any]]:
        part = self._checks.get(code)
        return [] if part is None else part.to_dicts()

    def excluded(self, code: str) -> list[dict[str, Any]]:
        part = self._excluded.get(code)
        return [] if part is None else part.to_dicts()

    def failing(self, code: str) -> Callable[[str, int], tuple[int, list[str]]]:
        def first(stage: str, limit: int) -> tuple[int, list[str]]:
            n, shown = self._failing.get((code, stage), (0, []))
            return n, shown[:limit]

        return first


def _split(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    parts = frame.partition_by("county_code", as_dict=True, maintain_order=True)
    return {str(k[0]): v for k, v in parts.items()}


class LazyCounties(Sequence[CountyResult]):
    """Every county of a run, each built by *build* the first time it is read."""

    def __init__(self, frames: CountyFrames, build: Callable[[int], CountyResult]) -> None:
        self.frames = frames
        self._build = build
        self._built: dict[int, CountyResult] = {}
        self._index = {row["county_code"]: i for i, row in enumerate(frames.rows)}

    def _get(self, i: int) -> CountyResult:
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        if i not in self._built:
            with no_gc():
                self._built[i] = self._build(i)
        return self._built[i]

    @overload
    def __getitem__(self, i: int) -> CountyResult: ...
    @overload
    def __getitem__(self, i: slice) -> list[CountyResult]: ...
    def __getitem__(self, i: int | slice) -> CountyResult | list[CountyResult]:
        if isinstance(i, slice):
            return [self._get(j) for j in range(*i.indices(len(self)))]
        return self._get(i)

    def __len__(self) -> int:
        return len(self.frames.rows)

    def __iter__(self) -> Iterator[CountyResult]:
        return (self._get(i) for i in range(len(self)))

    def find(self, code: str) -> CountyResult:
        return self._get(self._index[code])


__all__ = [
    "CHECK_COLS",
    "CountyFrames",
    "Lazy",
    "LazyCounties",
    "LazyMap",
    "failing_drivers",
    "flagged_checks",
    "no_gc",
]
