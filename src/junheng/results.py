"""Typed evaluation results that serialise to the JSON of the data contract.

Values are kept unrounded; rounding happens only where they are displayed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from .standard import PART_TITLES, Standard

STAGE_TITLES = {"primary": "小学", "junior": "初中"}


@dataclass(frozen=True, slots=True)
class Gap:
    """What a school lacks on one resource indicator, in the indicator's own quantity."""

    indicator: str
    unit: str
    to_standard: float
    """Rounded up: whole teachers and rooms, m² to 2 decimals, whole 元."""
    to_floor: float
    meaning: str = ""
    """What the figures mean, in Chinese: how much to add, and what for."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "unit": self.unit,
            "to_standard": self.to_standard,
            "to_floor": self.to_floor,
            "meaning": self.meaning,
        }


@dataclass(frozen=True, slots=True)
class SchoolResult:
    code: str
    name: str
    stage: str
    type: str
    sponsor: str | None
    students: int
    classes: int | None
    values: dict[str, float]
    met: int
    passed: bool
    below_standard: list[str]
    below_floor: list[str]
    gaps: Sequence[Gap]
    """Built when first read where the engine made the school (a list to compare with)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "stage": self.stage,
            "type": self.type,
            "sponsor": self.sponsor,
            "students": self.students,
            "classes": self.classes,
            "values": self.values,
            "met": self.met,
            "pass": self.passed,
            "below_standard": self.below_standard,
            "below_floor": self.below_floor,
            "gaps": [g.to_dict() for g in self.gaps],
        }


@dataclass(frozen=True, slots=True)
class Driver:
    """A school that pulls a county's CV up: its share of the weighted variance."""

    code: str
    name: str
    students: int
    value: float
    share: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "students": self.students,
            "value": self.value,
            "share": self.share,
        }


@dataclass(frozen=True, slots=True)
class StageResult:
    stage: str
    schools: int
    schools_passing: int
    students: int
    mean: dict[str, float | None]
    cv: dict[str, float | None]
    cv_pass: dict[str, bool]
    schools_meeting: dict[str, int]
    drivers: Mapping[str, list[Driver]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schools": self.schools,
            "schools_passing": self.schools_passing,
            "students": self.students,
            "mean": self.mean,
            "cv": self.cv,
            "cv_pass": self.cv_pass,
            "schools_meeting": self.schools_meeting,
            "cv_drivers": {k: [d.to_dict() for d in v] for k, v in self.drivers.items()},
        }


@dataclass(frozen=True, slots=True)
class ResourceResult:
    passed: bool | None
    stages: dict[str, StageResult]
    schools: Sequence[SchoolResult]
    excluded: Sequence[dict[str, Any]]
    failing_shown: Callable[[str, int], tuple[int, list[str]]] | None = None
    """Where the engine already knows them: the number of failing schools of a stage and how
    the first few read in a reason, so that a reason needs no typed object for any school."""

    def failing(self, stage: str, limit: int) -> tuple[int, list[SchoolResult]]:
        """How many schools of *stage* fail, and the first *limit* of them in school order."""
        found = [s for s in self.schools if s.stage == stage and not s.passed]
        return len(found), found[:limit]

    def to_dict(self) -> dict[str, Any]:
        return {
            "pass": self.passed,
            "stages": {k: v.to_dict() for k, v in self.stages.items()},
            "schools": [s.to_dict() for s in self.schools],
            "excluded": list(self.excluded),
        }


@dataclass(frozen=True, slots=True)
class ItemResult:
    part: str
    no: int
    key: str
    title: str
    passed: bool | None
    detail: str
    missing: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return {True: "达标", False: "未达标", None: "未评估"}[self.passed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "no": self.no,
            "key": self.key,
            "title": self.title,
            "pass": self.passed,
            "status": self.status,
            "detail": self.detail,
            "missing": self.missing,
        }


@dataclass(frozen=True, slots=True)
class PartResult:
    part: str
    passed: bool | None
    items: list[ItemResult]
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return PART_TITLES.get(self.part, "本地目标")

    def to_dict(self) -> dict[str, Any]:
        return {"pass": self.passed, "items": [i.to_dict() for i in self.items], **self.figures}


@dataclass(frozen=True, slots=True)
class CountyResult:
    code: str
    name: str
    city: str | None
    province: str | None
    year: int | None
    recognised: bool
    reasons: list[str]
    notes: list[str]
    resource: ResourceResult
    guarantee: PartResult
    quality: PartResult
    recognition: PartResult
    local: PartResult
    eligibility: ItemResult
    vetoes: list[str]
    vetoes_unreported: list[str]
    school_checks: Sequence[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "city": self.city,
            "province": self.province,
            "year": self.year,
            "recognised": self.recognised,
            "reasons": self.reasons,
            "notes": self.notes,
            "resource": self.resource.to_dict(),
            "guarantee": self.guarantee.to_dict(),
            "quality": self.quality.to_dict(),
            "recognition": self.recognition.to_dict(),
            "local": self.local.to_dict(),
            "eligibility": self.eligibility.to_dict(),
            "vetoes": self.vetoes,
            "vetoes_unreported": self.vetoes_unreported,
            "school_checks": list(self.school_checks),
        }


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The result of evaluating one input: every county in it, under one standard.

    From the engine, *counties* builds each county's typed result only when it is first read,
    and *json* writes the whole JSON from the engine's frames without typed objects.
    """

    standard: Standard
    counties: Sequence[CountyResult]
    source: str = ""
    chunks: Callable[[], Iterable[bytes | memoryview]] | None = None
    """The compact JSON as UTF-8 pieces, written without building typed objects."""

    @property
    def all_recognised(self) -> bool:
        return bool(self.counties) and all(c.recognised for c in self.counties)

    def county(self, code: str) -> CountyResult:
        find = getattr(self.counties, "find", None)
        if find is not None:
            return find(code)  # type: ignore[no-any-return]
        for c in self.counties:
            if c.code == code:
                return c
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "standard": self.standard.id,
            "standard_title": self.standard.title,
            "standard_version": self.standard.version,
            "source": self.source,
            "counties": [c.to_dict() for c in self.counties],
        }

    def to_json(self, indent: int | None = None) -> str:
        """The JSON of the data contract; compact unless *indent* is given (indenting makes
        the standard library fall back to its pure-Python encoder, several times slower)."""
        if indent is None and self.chunks is not None:
            return b"".join(self.chunks()).decode()
        seps = (",", ":") if indent is None else (",", ": ")
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, separators=seps)

    def write_json(self, out: BinaryIO) -> None:
        """Write the compact JSON to a binary file, piece by piece."""
        if self.chunks is None:
            out.write(self.to_json().encode())
        else:
            out.writelines(self.chunks())
