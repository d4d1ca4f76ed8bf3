"""The county plan page: thin; the work is in :mod:`.services`."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from junheng.planner import load_costs
from junheng.planner.output import write_plan_xlsx

from ..info import selectors as sel
from ..info.scoping import scope_of
from .forms import PlanForm
from .services import county_plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def plan_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    county = sel.county_in_scope(request.user, code)  # 404 outside the user's scope
    defaults = load_costs()
    form = PlanForm(defaults, request.GET if "move" in request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        result = county_plan(request.user, code, year, form.costs(defaults),
                             form.cleaned_data["budget"])  # fmt: skip
    elif not form.is_bound:
        result = county_plan(request.user, code, year, defaults, None)
    if result and result.plan and request.GET.get("format") == "xlsx":
        buf = io.BytesIO()
        write_plan_xlsx(result.plan, buf)
        resp = HttpResponse(buf.getvalue(), content_type=XLSX)
        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{county.code}-{year}-plan.xlsx"
        return resp
    ctx = {"county": county, "year": year, "form": form, "result": result,
           "scope": scope_of(request.user)}  # fmt: skip
    template = (
        "planning/_result.html" if request.headers.get("HX-Request") else "planning/plan.html"
    )
    return render(request, template, ctx)
