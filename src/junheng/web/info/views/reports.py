"""Downloads of the hand-in reports: a county's 自评报告 / 申报表, a city's or province's overview."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect

from junheng.errors import JunhengError

from .. import selectors as sel
from ..models import County
from ..scoping import scoped
from ..services.errors import NotAllowed
from ..services.reporting import CONTENT_TYPES, county_report_file, region_overview_file


def _attachment(name: str, data: bytes, fmt: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp


@login_required
def county_report(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    sel.county_in_scope(request.user, code)  # 404 outside the user's scope
    try:
        name, data = county_report_file(request.user, code, year, fmt)
    except NotAllowed as exc:
        return HttpResponseForbidden(str(exc))
    except JunhengError as exc:
        messages.error(request, str(exc))
        return redirect("county", code=code, year=year)
    return _attachment(name, data, fmt)


def _overview(request: HttpRequest, counties: list[County], where: str, year: int, fmt: str,
              page: str, code: str, targets: list[tuple[int, float]] | None = None) -> HttpResponse:  # fmt: skip
    try:
        name, data = region_overview_file(request.user, counties, year, where, fmt, targets or [])
    except NotAllowed as exc:
        return HttpResponseForbidden(str(exc))
    except JunhengError as exc:
        messages.error(request, str(exc))
        return redirect(page, code=code, year=year)
    return _attachment(name, data, fmt)


@login_required
def city_overview(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    city = sel.city_in_scope(request.user, code)
    counties = list(scoped(request.user, County.objects.filter(city=city)))
    return _overview(request, counties, city.name, year, fmt, "city", code)


@login_required
def province_overview(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    province = sel.province_in_scope(request.user, code)
    counties = list(scoped(request.user, County.objects.filter(city__province=province)))
    targets = [(t.year, t.share) for t in province.targets.all()]
    return _overview(request, counties, province.name, year, fmt, "province", code, targets)
