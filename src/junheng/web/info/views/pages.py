"""Dashboards: county, city and province pages, and the home redirect."""

from __future__ import annotations

import functools
import json

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from junheng.display import DASH, percent
from junheng.standard import RESOURCE_KEYS, list_standards, load_standard

from .. import selectors as sel
from ..models import City, CityReview, County, Evidence, RecordStatus, Role, SchoolRecord
from ..pagedata import standard_title
from ..queuerows import queue_rows
from ..scoping import scope_of, scoped
from ..services.evidence import evidence_items
from ..services.reviews import reviewable_run
from ..services.workflow import data_locked
from ..services.years import latest_year


def _year(request: HttpRequest) -> int:
    """The year asked for, else the newest year with data the user can see."""
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return latest_year(request.user)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    year = _year(request)
    if scope.role == Role.SCHOOL:
        return redirect("school_edit", code=scope.unit, year=year)
    if scope.role == Role.COUNTY:
        return redirect("county", code=scope.unit, year=year)
    if scope.role == Role.CITY:
        return redirect("city", code=scope.unit, year=year)
    if scope.role == Role.PROVINCE:
        return redirect("province", code=scope.unit, year=year)
    if scope.is_admin:
        first = County.objects.select_related("city__province").first()
        if first:
            return redirect("province", code=first.city.province.code, year=year)
        return redirect("import")
    return render(request, "info/no_role.html", status=403)


def _next_year(county: County, year: int) -> int | None:
    """The year a county may start collecting from this page: the one after the newest year
    with data, no further than the coming calendar year."""
    later = SchoolRecord.objects.filter(school__county=county, year__gt=year).exists()
    return None if later or year + 1 > timezone.localdate().year + 1 else year + 1


@login_required
def county_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    county = sel.county_in_scope(request.user, code)
    scope = scope_of(request.user)
    run = sel.latest_run(county, year)
    display = sel.run_display(run) if run else None
    queue = sel.school_queue(request.user, county, year)
    counts = sel.status_counts(queue)
    total = sum(counts.values())
    # every record a county, city or province user sees is the county's: locked is read from
    # the same counts (a school sees its own record only, so asks the database)
    locked = (total > 0 and counts.get(RecordStatus.LOCKED, 0) == total
              if scope.role != Role.SCHOOL else data_locked(county, year))  # fmt: skip
    page = sel.queue_page(queue, request.GET.get("queue"), total)
    ctx = {
        "county": county, "year": year, "run": run, "display": display,
        "indicators": _indicators(), "stale": sel.stale(county, year, run),
        "locked": locked,
        # the rows were escaped when prepared (pagedata._row_html)
        "rows_html": mark_safe(display["failing_html"]) if display else "",
        "passing_html": mark_safe(display["passing_html"]) if display else "",
        "chart": json.dumps(display["chart"] if display else None, ensure_ascii=False),
        "trend": json.dumps(sel.year_trend(county), ensure_ascii=False),
        "queue": page,
        "queue_html": queue_rows(page, year, scope),
        "queue_counts": sel.queue_counts(queue, counts),
        "evidence": scoped(request.user, Evidence.objects.filter(county=county, year=year)).select_related("uploaded_by"),
        "evidence_items": evidence_items(), "reviews": scoped(request.user, CityReview.objects.filter(county=county, year=year)).select_related("reviewer"),
        "can_see_city": scoped(request.user, City.objects.filter(pk=county.city_id)).exists(),
        "can_review": scope.may("city_review") and reviewable_run(county, year) is not None,
        "scope": scope,
        "next_year": _next_year(county, year),
    }  # fmt: skip
    return render(request, "info/county.html", ctx)


@functools.lru_cache(maxsize=1)
def _indicators() -> list[dict[str, str]]:
    # the column heads are the same for every standard: titles, short names and units
    std = load_standard()
    return [{"title": std.indicator(k).title, "short": std.indicator(k).short,
             "unit": std.indicator(k).unit} for k in RESOURCE_KEYS]  # fmt: skip


def logout_page(request: HttpRequest) -> HttpResponse:
    """``GET /logout/`` asks for confirmation; the button posts (Django logs out on POST)."""
    if request.method == "POST":
        return auth_views.LogoutView.as_view()(request)
    return render(request, "info/logout.html")


@login_required
def city_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    city = sel.city_in_scope(request.user, code)
    rows = sel.county_rows(scoped(request.user, County.objects.filter(city=city)), year)
    reviews: dict[int, CityReview] = {}
    for r in scoped(request.user, CityReview.objects.filter(county__city=city, year=year)).order_by(
        "created_at"
    ):
        reviews[r.county_id] = r
    may_review = scope_of(request.user).may("city_review")
    for row in rows:
        row.review = reviews.get(row.county.pk)
        row.can_review = may_review and reviewable_run(row.county, year) is not None
    return render(request, "info/region.html", {
        "region": city, "level": "city", "year": year, "rows": rows,
        "passing": sum(1 for r in rows if r.run and r.run.recognised),
        "missing": [r for r in rows if not r.submitted_all],
    })  # fmt: skip


@login_required
def province_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    province = sel.province_in_scope(request.user, code)
    rows = sel.county_rows(
        scoped(request.user, County.objects.filter(city__province=province)), year
    )
    targets = province.targets.all()
    passing = sum(1 for r in rows if r.run and r.run.recognised)
    return render(request, "info/region.html", {
        "region": province, "level": "province", "year": year, "rows": rows, "targets": targets,
        "passing": passing, "missing": [r for r in rows if not r.submitted_all],
        "share": percent(passing / len(rows)) if rows else DASH, "standards": list_standards(),
        "standard_title": standard_title(province.standard),
    })  # fmt: skip
