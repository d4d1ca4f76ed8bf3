"""Read-only queries for pages and the API, always through :func:`scoped`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Max, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from junheng.display import CV_DIGITS, rounded
from junheng.standard import load_standard

from .models import (
    City,
    County,
    CountyRecord,
    EvaluationRun,
    Province,
    RecordStatus,
    School,
    SchoolRecord,
)
from .pagedata import DISPLAY_VERSION, build_display, build_summary, standard_title
from .scoping import Actor, scoped
from .services.workflow import data_fingerprint

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
    """The latest evaluation, without the engine's full result (the page uses ``display``)."""
    return (
        EvaluationRun.objects.filter(county=county, year=year)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
        .first()
    )


def run_display(run: EvaluationRun) -> dict[str, Any]:
    """The run's prepared page data; a run made before it was stored is prepared here
    (not saved: a GET never writes)."""
    if run.display.get("version") == DISPLAY_VERSION:
        return dict(run.display)
    std = load_standard(run.standard)
    return build_display(run.result, std)


def run_summary(run: EvaluationRun) -> dict[str, Any]:
    if run.summary:
        return dict(run.summary)
    return build_summary(run.result, load_standard(run.standard))


def stale(county: County, year: int, run: EvaluationRun | None) -> bool:
    """School or county data changed after the last evaluation."""
    if run is None:
        return True
    if run.fingerprint:
        return run.fingerprint != data_fingerprint(county, year)
    changed = [
        SchoolRecord.objects.filter(school__county=county, year=year).aggregate(m=Max("updated_at"))["m"],
        CountyRecord.objects.filter(county=county, year=year).aggregate(m=Max("updated_at"))["m"],
    ]  # fmt: skip
    return any(c is not None and c > run.created_at for c in changed)


@dataclass(slots=True)
class CountyRow:
    county: County
    run: EvaluationRun | None
    schools: int
    done: int
    review: Any = None
    can_review: bool = False

    @property
    def submitted_all(self) -> bool:
        return self.schools > 0 and self.done == self.schools

    @property
    def reasons(self) -> int:
        return int(run_summary(self.run)["reasons"]) if self.run else 0

    @property
    def standard_title(self) -> str:
        if not self.run:
            return ""
        return str(self.run.summary.get("standard_title") or standard_title(self.run.standard))


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
    for run in (
        EvaluationRun.objects.filter(county__in=counties, year=year)
        .defer("display")
        .order_by("created_at", "pk")
    ):
        runs[run.county_id] = run
    rows = [CountyRow(c, runs.get(c.pk), c.n, c.d) for c in stats.select_related("city")]
    return sorted(
        rows,
        key=lambda r: (not (r.run and r.run.recognised), r.run is None, r.reasons, r.county.code),
    )


def year_trend(county: County) -> list[dict[str, Any]]:
    """Latest evaluation of each year, oldest first, from the runs' small summaries."""
    latest: dict[int, tuple[bool, dict[str, Any], int]] = {}
    rows = EvaluationRun.objects.filter(county=county).order_by("created_at", "pk")
    for year, recognised, summary, pk in rows.values_list("year", "recognised", "summary", "pk"):
        latest[year] = (recognised, summary, pk)
    out = []
    for y, (recognised, summary, pk) in sorted(latest.items()):
        if not summary:  # a run made before summaries were kept
            summary = run_summary(EvaluationRun.objects.get(pk=pk))
        out.append({"year": y, "recognised": recognised, "reasons": summary["reasons"],
                    "cv": {k: None if v is None else rounded(v, CV_DIGITS)
                           for k, v in summary["cv"].items()}})  # fmt: skip
    return out


QUEUE_PAGE = 50
_QUEUE_ORDER = (RecordStatus.SUBMITTED, RecordStatus.RETURNED, RecordStatus.DRAFT,
                RecordStatus.APPROVED, RecordStatus.LOCKED)  # fmt: skip


def queue_page(queue: QuerySet[SchoolRecord], page: str | None,
               total: int | None = None) -> Page[SchoolRecord]:  # fmt: skip
    """One page of the review queue, records waiting for the county first; *total*, when the
    caller has counted the queue already, spares the paginator its own count."""
    order = Case(*(When(status=s, then=Value(i)) for i, s in enumerate(_QUEUE_ORDER)),
                 default=Value(len(_QUEUE_ORDER)))  # fmt: skip
    paginator = Paginator(queue.order_by(order, "school__code"), QUEUE_PAGE)
    if total is not None:
        paginator.count = total  # a cached_property: set, it is not counted again
    found = paginator.get_page(page)
    return found


def status_counts(queue: QuerySet[SchoolRecord]) -> dict[str, int]:
    """How many records of the queue are in each status."""
    return dict(queue.order_by().values_list("status").annotate(n=Count("pk")))


def queue_counts(queue: QuerySet[SchoolRecord],
                 counts: dict[str, int] | None = None) -> list[tuple[str, int]]:  # fmt: skip
    """How many records of the queue are in each status, in workflow order."""
    counts = status_counts(queue) if counts is None else counts
    return [(label, counts.get(value, 0)) for value, label in RecordStatus.choices]


QUEUE_FIELDS = ("school__code", "school__name", "name", "status", "status_note", "updated_at",
                "year", "version")  # fmt: skip


def school_queue(user: Actor, county: County, year: int) -> QuerySet[SchoolRecord]:
    """The county's records of *year* the user sees, with the fields the queue shows."""
    return (
        scoped(user, SchoolRecord.objects.filter(school__county=county, year=year))
        .select_related("school")
        .only(*QUEUE_FIELDS)
        .order_by("school__code")
    )


def schools_of(user: Actor) -> QuerySet[School]:
    return scoped(user, School.objects.select_related("county"))
