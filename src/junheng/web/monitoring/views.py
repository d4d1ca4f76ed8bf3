"""Annual consolidation monitoring: the province's list of warnings and per-county trends."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from junheng.web.creation.models import ChainStep, Step
from junheng.web.info import selectors as info_sel
from junheng.web.info.models import County
from junheng.web.info.scoping import scope_of

from . import selectors as sel


@login_required
def province_page(request: HttpRequest, code: str) -> HttpResponse:
    province = info_sel.province_in_scope(request.user, code)
    watches = sel.recognised_counties(
        request.user, County.objects.filter(city__province__code=province.code)
    )
    alerts = [(w, a) for w in watches for a in w.alerts]
    return render(request, "monitoring/province.html", {
        "province": province, "watches": watches, "alerts": alerts, "scope": scope_of(request.user),
    })  # fmt: skip


@login_required
def county_page(request: HttpRequest, code: str) -> HttpResponse:
    county = info_sel.county_in_scope(request.user, code)
    step = ChainStep.objects.filter(county=county, step=Step.NATIONAL, passed=True).first()
    if step is None:
        raise Http404("该区县尚未通过国家认定，没有巩固监测")
    watch = sel.watch_county(county, step)
    return render(request, "monitoring/county.html", {
        "county": county, "watch": watch, "chart": json.dumps(watch.trend, ensure_ascii=False),
    })  # fmt: skip
