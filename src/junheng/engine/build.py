"""Turning the engine's frames into typed, per-county results with Chinese reasons."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any

import polars as pl

from ..contract import SCHOOL_TYPES
from ..results import (
    CountyResult,
    Driver,
    Evaluation,
    Gap,
    ItemResult,
    PartResult,
    ResourceResult,
    SchoolResult,
    StageResult,
)
from ..standard import RESOURCE_KEYS, Standard
from .evaluation import CountyFrames, Lazy, LazyCounties, LazyMap
from .frames import Frames, item_column, rules_by_part
from .quality import recognition_figures, vetoes
from .quality_texts import WARNINGS_COLUMN, warnings_expr
from .reasons import (
    county_reasons,
    eligibility_item,
    gap_meaning,
    unreported_vetoes,
    why_school_expr,
)
from .rules import Row, Rule, is_missing, label

_TYPE_TITLES = {code: name for name, code in SCHOOL_TYPES.items()}


SCHOOL_COLS = ("code", "name", "stage", "type", "sponsor", "students", "classes", "met", "passed",
               *RESOURCE_KEYS, *(f"{p}_{k}" for p in ("met", "floor", "gap", "gap85")
                                 for k in RESOURCE_KEYS))  # fmt: skip
"""Columns of the long frame a typed school is built from, in the order _schools reads them."""


def _schools(frame: pl.DataFrame, standard: Standard) -> list[SchoolResult]:
    """Typed schools from rows of the long frame (tuples by position, not a dict per row:
    this runs for every school a caller reads)."""
    n = len(RESOURCE_KEYS)
    units = [standard.indicator(k).gap_unit for k in RESOURCE_KEYS]
    out = []
    for r in frame.select(SCHOOL_COLS).iter_rows():
        values, met, floor = r[9 : 9 + n], r[9 + n : 9 + 2 * n], r[9 + 2 * n : 9 + 3 * n]
        gap, gap85 = r[9 + 3 * n : 9 + 4 * n], r[9 + 4 * n :]
        below = [i for i in range(n) if not met[i]]
        out.append(SchoolResult(
            code=r[0], name=r[1], stage=r[2], type=r[3], sponsor=r[4], students=r[5],
            classes=r[6], values=dict(zip(RESOURCE_KEYS, values, strict=True)), met=r[7],
            passed=bool(r[8]), below_standard=[RESOURCE_KEYS[i] for i in below],
            below_floor=[k for k, ok in zip(RESOURCE_KEYS, floor, strict=True) if not ok],
            gaps=Lazy(partial(_gaps, below, units, r[2], r[3], gap, gap85, standard)),
        ))  # fmt: skip
    return out


def _gaps(below: list[int], units: list[str], stage: str, school_type: str,
          gap: tuple[float, ...], gap85: tuple[float, ...], standard: Standard) -> list[Gap]:  # fmt: skip
    """A school's gaps with their Chinese meaning, written when first read: the reasons of a
    county read its failing schools but not their gaps."""
    return [Gap(RESOURCE_KEYS[i], units[i], gap[i], gap85[i],
                gap_meaning(RESOURCE_KEYS[i], stage, school_type, gap[i], gap85[i], standard))
            for i in below]  # fmt: skip


def _drivers(row: Row, drivers: list[dict[str, Any]]) -> dict[str, list[Driver]]:
    by_ind: dict[str, list[Driver]] = defaultdict(list)
    for d in drivers:
        if d["stage"] == row["stage"] and not row[f"cv_pass_{d['indicator']}"]:
            by_ind[d["indicator"]].append(
                Driver(d["code"], d["name"], d["students"], d["value"], d["contribution"])
            )
    return dict(by_ind)


def _stage(row: Row, drivers: Callable[[], list[dict[str, Any]]]) -> StageResult:
    return StageResult(
        stage=row["stage"],
        schools=row["schools"],
        schools_passing=row["schools_passing"],
        students=row["students"],
        mean={k: row[f"mean_{k}"] for k in RESOURCE_KEYS},
        cv={k: row[f"cv_{k}"] for k in RESOURCE_KEYS},
        cv_pass={k: bool(row[f"cv_pass_{k}"]) for k in RESOURCE_KEYS},
        schools_meeting={k: row[f"met_count_{k}"] for k in RESOURCE_KEYS},
        # the JSON writes the drivers from the frames: typed ones only when read
        drivers=LazyMap(lambda: _drivers(row, drivers())),
    )


Heads = tuple[tuple[Rule, int, str, str, str, dict[str, str]], ...]
"""Per rule of a part: the rule, its number, title, verdict column, detail text column and
missing-data labels."""


def _heads(part: str, rules: tuple[Rule, ...], standard: Standard) -> Heads:
    out = []
    for i, rule in enumerate(rules, start=1):
        if part == "local":
            target = next(t for t in standard.local_targets if t.key == rule.key)
            no, title = i, target.title
            labels = {f"local_{t.key}": f"区县表“{t.column}”未填报" for t in standard.local_targets}
        else:
            ind = standard.indicator(rule.key)
            no, title, labels = ind.no, ind.title, {}
        column = item_column(part, rule.key)
        out.append((rule, no, title, column, text_column(column), labels))
    return tuple(out)


def text_column(column: str) -> str:
    """County frame column of an item's detail text, written by Polars."""
    return f"text__{column}"


def _items(part: str, heads: Heads, row: Row, standard: Standard) -> list[ItemResult]:
    items = []
    for rule, no, title, column, text_column_, labels in heads:
        verdict = row[column]
        missing = []
        if verdict is None:
            missing = [labels.get(n, label(n)) for n in rule.needs if is_missing(n, row.get(n))]
        text = row.get(text_column_)
        detail = rule.detail(row, standard) if text is None else text
        items.append(ItemResult(part, no, rule.key, title, verdict, detail, missing))
    return items


def _excluded(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "code": e["code"],
            "name": e["name"],
            "type": _TYPE_TITLES[e["type"]],
            "reason": e["reason"],
        }
        for e in rows
    ]


def _county(row: Row, std: Standard, stages: list[dict[str, Any]],
            drivers: Callable[[], list[dict[str, Any]]], schools: Sequence[SchoolResult],
            checks: Sequence[dict[str, Any]], excluded: Sequence[dict[str, Any]],
            parts: dict[str, Heads],
            failing: Callable[[str, int], tuple[int, list[str]]] | None = None,
            ) -> CountyResult:  # fmt: skip
    res_pass = row["resource_pass"]
    resource = ResourceResult(
        passed=None if res_pass is None else bool(res_pass),
        stages={s["stage"]: _stage(s, drivers) for s in stages},
        schools=schools,
        excluded=excluded,
        failing_shown=failing,
    )
    built = {
        p: PartResult(p, row[f"{p}_pass"], _items(p, heads, row, std)) for p, heads in parts.items()
    }
    rec = built["recognition"]
    rec.figures.update(recognition_figures(row, std))
    eligibility = eligibility_item(row, std)
    veto = vetoes(row)
    unreported = unreported_vetoes(row)
    why = county_reasons(row, resource, built, eligibility, veto, unreported, std)
    return CountyResult(
        code=row["county_code"], name=row["county_name"], city=row.get("city"),
        province=row.get("province"), year=row.get("year"), recognised=bool(row["recognised"]),
        reasons=why.reasons, notes=why.notes, resource=resource, guarantee=built["guarantee"],
        quality=built["quality"], recognition=rec, local=built["local"], eligibility=eligibility,
        vetoes=veto, vetoes_unreported=unreported, school_checks=checks,
    )  # fmt: skip


def build_evaluation(fr: Frames, source: str = "") -> Evaluation:
    """The typed results of every county, each built when first read; the JSON straight from
    the frames."""
    std = fr.standard
    by_part = rules_by_part(std)
    parts = {p: _heads(p, rules, std) for p, rules in by_part.items()}
    texts = [r.text(std).alias(text_column(item_column(p, r.key)))
             for p, rules in by_part.items() for r in rules if r.text is not None]  # fmt: skip
    # every rule has its text, so the rows can do without what only the Python texts read
    if len(texts) == sum(map(len, by_part.values())):
        texts.append(warnings_expr(std).alias(WARNINGS_COLUMN))
    else:
        texts = []
    split = CountyFrames(fr, lambda frame: _schools(frame, std), why_school_expr(std), texts)

    def county(i: int) -> CountyResult:
        row = split.rows[i]
        code = row["county_code"]
        return _county(
            row, std, split.stages.get(code, []), lambda: split.drivers.get(code, []),
            Lazy(lambda: split.schools(code)), Lazy(lambda: split.checks(code)),
            Lazy(lambda: _excluded(split.excluded(code))), parts, split.failing(code),
        )  # fmt: skip

    counties = LazyCounties(split, county)

    def chunks() -> Iterator[bytes | memoryview]:
        from .jsonout import evaluation_json

        return evaluation_json(fr, counties, source)

    return Evaluation(std, counties, source, chunks)
