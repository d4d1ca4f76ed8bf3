"""Read-only queries for pages and the API, always through :func:`scoped`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.shortcuts import get_object_or_404

from junheng.standard import RESOURCE_KEYS, load_standard

from .models import City, County, EvaluationRun, Province, RecordStatus, School, SchoolRecord
from .scoping import Actor, scoped

DONE = (RecordStatus.APPROVED, RecordStatus.LOCKED)


def county_in_scope(user: Actor, code: str) -> County:
    return get_object_or_404(
        scoped(user, County.objects.select_related("city__province")), code=code
    )


def city_in_scope(user: Actor, code: str) -> City:
    return get_object_or_404(scoped(user, City.objects.select_related("province")), code=code)


def province_in_scope(user: Actor, code: str) -> Province:
    return get_object_or_404(scoped(user, Province.objects.all()), code=code)


def record_in_scope(user: Actor, code: str, year: int) -> SchoolRecord:
    qs = scoped(user, SchoolRecord.objects.select_related("school__county"))
    rec: SchoolRecord = get_object_or_404(qs, school__code=code, year=year)
    return rec


def latest_run(county: County, year: int) -> EvaluationRun | None:
    return (
        EvaluationRun.objects.filter(county=county, year=year)
        .order_by("-created_at", "-pk")
        .first()
    )


def stale(county: County, year: int, run: EvaluationRun | None) -> bool:
    """Data changed after the last evaluation."""
    if run is None:
        return True
    changed = SchoolRecord.objects.filter(school__county=county, year=year).aggregate(
        m=Max("updated_at")
    )["m"]
    return bool(changed and changed > run.created_at)


@dataclass(slots=True)
class CountyRow:
    county: County
    run: EvaluationRun | None
    schools: int
    done: int
    review: Any = None

    @property
    def submitted_all(self) -> bool:
        return self.schools > 0 and self.done == self.schools

    @property
    def reasons(self) -> int:
        return len(self.run.result.get("reasons", [])) if self.run else 0


def county_rows(counties: QuerySet[County], year: int) -> list[CountyRow]:
    """Counties with their latest evaluation and review progress, best first."""
    stats = counties.annotate(
        n=Count("schools__records", filter=Q(schools__records__year=year)),
        d=Count(
            "schools__records",
            filter=Q(schools__records__year=year, schools__records__status__in=DONE),
        ),
    )
    runs: dict[int, EvaluationRun] = {}
    for run in EvaluationRun.objects.filter(county__in=counties, year=year).order_by(
        "created_at", "pk"
    ):
        runs[run.county_id] = run
    rows = [CountyRow(c, runs.get(c.pk), c.n, c.d) for c in stats.select_related("city")]
    return sorted(
        rows,
        key=lambda r: (not (r.run and r.run.recognised), r.run is None, r.reasons, r.county.code),
    )


def cv_chart(result: dict[str, Any], standard_id: str) -> dict[str, Any]:
    """ECharts data: per stage, each indicator's CV against the stage limit."""
    std = load_standard(standard_id)
    stages = result["resource"]["stages"]
    return {
        "indicators": [std.indicator(k).short or std.indicator(k).title for k in RESOURCE_KEYS],
        "series": [
            {"name": {"primary": "小学", "junior": "初中"}[s], "limit": std.settings["cv_max"][s],
             "data": [None if st["cv"][k] is None else round(st["cv"][k], 3) for k in RESOURCE_KEYS]}
            for s, st in stages.items()
        ],
    }  # fmt: skip


def year_trend(county: County) -> list[dict[str, Any]]:
    """Latest evaluation of each year, oldest first."""
    latest: dict[int, EvaluationRun] = {}
    for run in EvaluationRun.objects.filter(county=county).order_by("created_at", "pk"):
        latest[run.year] = run
    return [
        {"year": y, "recognised": r.recognised, "reasons": len(r.result.get("reasons", [])),
         "cv": {s: max((v for v in st["cv"].values() if v is not None), default=None)
                for s, st in r.result["resource"]["stages"].items()}}
        for y, r in sorted(latest.items())
    ]  # fmt: skip


def school_queue(user: Actor, county: County, year: int) -> QuerySet[SchoolRecord]:
    return (
        scoped(user, SchoolRecord.objects.filter(school__county=county, year=year))
        .select_related("school")
        .order_by("school__code")
    )


def schools_of(user: Actor) -> QuerySet[School]:
    return scoped(user, School.objects.select_related("county"))
