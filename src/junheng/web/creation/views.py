"""Creation plan pages (city and province) with the chart, the 重点督促 list and the export."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from junheng.display import fmt, percent
from junheng.process.exports import plan_xlsx
from junheng.process.plan import (
    FIRST_YEAR,
    LAST_YEAR,
    YEARS,
    CountyPlan,
    PlanError,
    behind_plan,
    plan_table,
    progress,
)
from junheng.process.recommend import recommend_docx, recommend_xlsx, rows
from junheng.web.info import selectors as info_sel
from junheng.web.info.models import City, County, EvaluationRun, Province
from junheng.web.info.scoping import scope_of
from junheng.web.info.services.errors import NotAllowed, ServiceError

from . import chain, recommend, services
from . import selectors as sel
from .models import ChainStep, CreationPlan, Step


def _region(request: HttpRequest, level: str, code: str) -> tuple[City | Province, Province]:
    if level == "city":
        city = info_sel.city_in_scope(request.user, code)
        return city, city.province
    if level == "province":
        province = info_sel.province_in_scope(request.user, code)
        return province, province
    raise Http404("没有这一级")


def _counties(level: str, region: City | Province) -> QuerySet[County]:
    if level == "city":
        return County.objects.filter(city__code=region.code)
    return County.objects.filter(city__province__code=region.code)


def _by_step(plans: list[CountyPlan]) -> list[tuple[str, list[CountyPlan]]]:
    """Counties by the furthest step of the review chain they have reached."""

    def step(p: CountyPlan) -> str:
        for label, year in (
            ("国家认定", p.recognised),
            ("省级推荐", p.recommended),
            ("市级复核", p.city_reviewed),
            ("县级自评", p.self_evaluated),
        ):
            if year is not None:
                return label
        return "尚未自评"

    order = ("尚未自评", "县级自评", "市级复核", "省级推荐", "国家认定")
    return [(label, [p for p in plans if step(p) == label]) for label in order]  # fmt: skip


def _share(share: float) -> str:
    return fmt(share, 0) if float(share).is_integer() else fmt(share, 1)


def _this_year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() else timezone.localdate().year


@login_required
def plan_page(request: HttpRequest, level: str, code: str) -> HttpResponse:
    region, province = _region(request, level, code)
    counties = _counties(level, region)
    plans = sel.county_plans(request.user, counties)
    targets = sel.targets_of(province)
    try:
        prog = progress(plans, targets)
    except PlanError as exc:
        messages.error(request, f"省级创建目标有误：{exc}")
        prog = progress(plans, {})
    table = plan_table(plans)
    this_year = _this_year(request)
    steps = {"规划": prog.planned, "县级自评": prog.self_evaluated, "市级复核": prog.city_reviewed,
             "省级推荐": prog.recommended, "国家认定": prog.recognised}  # fmt: skip
    chart = {
        "years": list(YEARS),
        "series": {k: [v[y] for y in YEARS] for k, v in steps.items()},
        "target": [prog.target[y] for y in YEARS],
    }
    saved = {
        p.county.code: p
        for p in CreationPlan.objects.filter(county__code__in=[p.code for p in plans])
    }
    return render(request, "creation/plan.html", {
        "region": region, "level": level, "province": province, "plans": plans, "table": table,
        "shares": {y: percent(table.share[y]) for y in table.years},
        "behind": behind_plan(plans, this_year), "this_year": this_year, "years": YEARS,
        "targets": [(y, _share(s), prog.target.get(y, 0)) for y, s in sorted(targets.items())],
        "saved": saved, "by_step": _by_step(plans),
        "chart": json.dumps(chart, ensure_ascii=False),
        "scope": scope_of(request.user),
    })  # fmt: skip


@login_required
@require_POST
def set_plan(request: HttpRequest, code: str) -> HttpResponse:
    county = info_sel.county_in_scope(request.user, code)
    text = request.POST.get("year", "")
    try:
        if not text.isdigit():
            raise ServiceError(
                f"计划申报年度应为{FIRST_YEAR}—{LAST_YEAR}年之间的年份，填写的是“{text}”"
            )
        services.set_plan(request.user, county, int(text), request.POST.get("reason", ""))
        messages.success(request, f"已保存{county.name}的计划申报年度：{text}年")
    except NotAllowed as exc:
        return HttpResponseForbidden(str(exc))
    except ServiceError as exc:
        messages.error(request, f"未保存：{exc}")
    return redirect("creation:plan", level="city", code=county.city.code)


@login_required
def export_plan(request: HttpRequest, level: str, code: str) -> HttpResponse:
    region, province = _region(request, level, code)
    plans = sel.county_plans(request.user, _counties(level, region))
    try:
        line = progress(plans, sel.targets_of(province)).target
    except PlanError:
        line = None
    data = plan_xlsx(
        plan_table(plans), f"{region.name}县域义务教育优质均衡发展创建规划表", targets=line
    )
    resp = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{region.code}-plan.xlsx"
    return resp


@login_required
def chain_page(request: HttpRequest, code: str) -> HttpResponse:
    county = info_sel.county_in_scope(request.user, code)
    locked = EvaluationRun.objects.filter(county=county, locked=True).order_by("-created_at", "-pk")
    return render(request, "creation/chain.html", {
        "county": county, "scope": scope_of(request.user), "progress": chain.progress_of(county),
        "steps": chain.steps_of(county), "next": chain.next_step(county), "locked": locked[:5],
        "this_year": timezone.localdate().year,
    })  # fmt: skip


@login_required
@require_POST
def chain_action(request: HttpRequest, code: str, step: str) -> HttpResponse:
    county = info_sel.county_in_scope(request.user, code)
    post = request.POST
    opinion = post.get("opinion", "")
    try:
        year = int(post.get("year", "") or 0)
        if step == Step.SELF:
            run = EvaluationRun.objects.filter(
                county=county, pk=int(post.get("run", "") or 0)
            ).first()
            if run is None:
                raise ServiceError("请选择已锁定数据的评估记录")
            chain.self_evaluate(request.user, county, run, opinion)
        elif step == Step.CITY:
            chain.city_review(
                request.user, county, passed=post.get("passed") == "1", opinion=opinion
            )
        elif step == Step.PROVINCE:
            chain.province_evaluate(request.user, county, recommended=post.get("passed") == "1",
                                    opinion=opinion, year=year)  # fmt: skip
        elif step == Step.NATIONAL:
            chain.national(
                request.user, county, batch=post.get("batch", ""), year=year, opinion=opinion
            )
        else:
            raise Http404("没有这一环节")
        messages.success(request, f"已记录{county.name}的{Step(step).label}")
    except NotAllowed as exc:
        return HttpResponseForbidden(str(exc))
    except (ServiceError, ValueError) as exc:
        messages.error(
            request, f"未记录：{exc}" if isinstance(exc, ServiceError) else "年度应为数字"
        )
    return redirect("creation:chain", code=county.code)


@login_required
def snapshot_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    county = info_sel.county_in_scope(request.user, code)
    step = get_object_or_404(ChainStep.objects.filter(county=county), pk=pk)
    snap = step.snapshot
    return render(request, "creation/snapshot.html", {
        "county": county, "step": step, "snap": snap, "result": snap.get("result", {}),
        "schools": snap.get("schools", []),
    })  # fmt: skip


@login_required
def recommend_page(request: HttpRequest, code: str) -> HttpResponse:
    county = info_sel.county_in_scope(request.user, code)
    if request.method == "POST":
        try:
            recommend.save(request.user, county, {k: str(v) for k, v in request.POST.items()})
            messages.success(request, "已保存推荐表")
        except NotAllowed as exc:
            return HttpResponseForbidden(str(exc))
        return redirect("creation:recommend", code=county.code)
    form, year = recommend.form_of(county)
    return render(request, "creation/recommend.html", {
        "county": county, "form": form, "year": year, "rows": rows(form)[:6],
        "scope": scope_of(request.user),
    })  # fmt: skip


@login_required
def recommend_export(request: HttpRequest, code: str, fmt_: str) -> HttpResponse:
    county = info_sel.county_in_scope(request.user, code)
    form, _ = recommend.form_of(county)
    if fmt_ == "docx":
        data = recommend_docx(form)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt_ == "xlsx":
        data = recommend_xlsx(form)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404("没有这种格式")
    resp = HttpResponse(data, content_type=ctype)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{county.code}-recommend.{fmt_}"
    return resp
