"""Dashboards: county, city and province pages, and the home redirect."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from junheng.standard import RESOURCE_KEYS, load_standard

from .. import selectors as sel
from ..models import CityReview, County, Evidence, Role, SchoolRecord
from ..scoping import scope_of, scoped
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
    run = sel.latest_run(county, year)
    result = run.result if run else None
    std = load_standard(run.standard) if run else load_standard()
    indicators = [std.indicator(k) for k in RESOURCE_KEYS]
    schools = []
    if result:
        for s in result["resource"]["schools"]:
            cells = [
                (s["values"][k], k in s["below_standard"], k in s["below_floor"])
                for k in RESOURCE_KEYS
            ]
            gaps = [{**g, "title": std.indicator(g["indicator"]).short} for g in s["gaps"]]
            schools.append({**s, "cells": cells, "gaps": gaps})
    ctx = {
        "county": county, "year": year, "run": run, "result": result, "schools": schools,
        "indicators": indicators, "stale": sel.stale(county, year, run),
        "chart": json.dumps(sel.cv_chart(result, run.standard) if result and run else None, ensure_ascii=False),
        "trend": json.dumps(sel.year_trend(county), ensure_ascii=False),
        "queue": sel.school_queue(request.user, county, year),
        "evidence": scoped(request.user, Evidence.objects.filter(county=county, year=year)),
        "scope": scope_of(request.user),
        "next_year": _next_year(county, year),
    }  # fmt: skip
    return render(request, "info/county.html", ctx)


@login_required
def city_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    city = sel.city_in_scope(request.user, code)
    rows = sel.county_rows(scoped(request.user, County.objects.filter(city=city)), year)
    reviews: dict[int, CityReview] = {}
    for r in scoped(request.user, CityReview.objects.filter(county__city=city, year=year)).order_by(
        "created_at"
    ):
        reviews[r.county_id] = r
    for row in rows:
        row.review = reviews.get(row.county.pk)
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
        "share": round(100 * passing / len(rows), 1) if rows else 0,
    })  # fmt: skip
