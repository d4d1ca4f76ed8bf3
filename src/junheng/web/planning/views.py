"""The county plan page: thin; the work is in :mod:`.services`."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from junheng.planner import load_costs
from junheng.planner.output import write_plan_xlsx

from ..info import selectors as sel
from ..info.scoping import scope_of
from ..info.services.errors import ServiceError
from .forms import PlanForm
from .services import county_plan, county_schools, may_write_ledger, write_to_ledger

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def plan_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    county = sel.county_in_scope(request.user, code)  # 404 outside the user's scope
    defaults = load_costs()
    schools = county_schools(request.user, county, year)
    form = PlanForm(defaults, request.GET if "move" in request.GET else None, schools=schools)
    result = None
    if form.is_bound and form.is_valid():
        result = county_plan(request.user, code, year, form.costs(defaults),
                             form.cleaned_data["budget"], form.cleaned_data["years"])  # fmt: skip
    elif not form.is_bound:
        result = county_plan(request.user, code, year, defaults, None)
    if result and result.plan and request.GET.get("format") == "xlsx":
        buf = io.BytesIO()
        write_plan_xlsx(result.plan, buf)
        resp = HttpResponse(buf.getvalue(), content_type=XLSX)
        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{county.code}-{year}-plan.xlsx"
        return resp
    ctx = {"county": county, "year": year, "form": form, "result": result,
           "scope": scope_of(request.user),
           "may_write_ledger": may_write_ledger(request.user, county)}  # fmt: skip
    template = (
        "planning/_result.html" if request.headers.get("HX-Request") else "planning/plan.html"
    )
    return render(request, template, ctx)


@login_required
@require_POST
def plan_to_ledger(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """写入整改台账: the plan of the page's costs and budget, into the open ledger items."""
    county = sel.county_in_scope(request.user, code)  # 404 outside the user's scope
    query = request.POST.get("query", "")
    defaults = load_costs()
    form = PlanForm(defaults, QueryDict(query) if "move" in QueryDict(query) else None,
                    schools=county_schools(request.user, county, year))  # fmt: skip
    costs, budget = defaults, None
    if form.is_bound:
        if not form.is_valid():
            messages.error(request, "测算条件填写有误，未写入整改台账。")
            return redirect(f"{request.path.removesuffix('ledger/')}?{query}")
        costs, budget = form.costs(defaults), form.cleaned_data["budget"]
    try:
        done = write_to_ledger(request.user, code, year, costs, budget)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        if done.written:
            messages.success(
                request, f"已把测算方案写入整改台账中 {done.written} 个未销号事项的整改措施。"
            )
        else:
            messages.info(request, "整改台账中没有与测算方案对应的未销号事项，未写入。")
    return redirect(f"{request.path.removesuffix('ledger/')}?{query}")
