"""Work plan pages: the county edits its own plan; the city and the province read theirs."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from junheng.process.workplan import MANUAL, METRICS, OPS, PRESETS
from junheng.process.workplan_export import PlanSheet, TargetLine, TaskLine, workplan_xlsx
from junheng.web.info import selectors as info_sel
from junheng.web.info.models import County
from junheng.web.info.scoping import scope_of, scoped
from junheng.web.info.services.errors import NotAllowed, ServiceError
from junheng.web.ledger.models import ResponsibleUnit
from junheng.web.ledger.services import ensure_units

from . import workplan_selectors as sel
from . import workplan_services as services
from .views import _counties, _region


def _date(text: str, what: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ServiceError(f"{what}“{text}”不是有效日期，应为 年-月-日") from None


def _int(text: str, what: str) -> int:
    if not text.strip().isdigit():
        raise ServiceError(f"{what}应为整数，填写的是“{text}”")
    return int(text)


@login_required
def workplan_page(request: HttpRequest, code: str) -> HttpResponse:
    county = info_sel.county_in_scope(request.user, code)
    scope = scope_of(request.user)
    plan = sel.plan_in_scope(request.user, county)
    today = timezone.localdate()
    rows = sel.task_rows(plan, today) if plan else []
    targets = [
        (t, [(c, sel.figure_text(c, t.target)) for c in t.checks]) for t in sel.target_rows(plan)
    ] if plan else []  # fmt: skip
    ensure_units()
    return render(request, "creation/workplan.html", {
        "county": county, "plan": plan, "rows": rows, "targets": targets, "today": today,
        "overdue": sum(1 for r in rows if r.overdue_days), "scope": scope,
        "editable": scope.may("edit_county"), "presets": [(k, v[0]) for k, v in PRESETS.items()],
        "units": ResponsibleUnit.objects.all(), "metrics": [(MANUAL, "逐年填报")]
        + [(k, m.label) for k, m in METRICS.items()], "ops": list(OPS.items()),
        "phases": list(plan.phases.all()) if plan else [], "year": today.year,
        "history": sel.change_log(plan) if plan else [],
    })  # fmt: skip


def _act(request: HttpRequest, county: County, action: str) -> str:
    post, user = request.POST, request.user
    if action == "create":
        services.create_plan(user, county, preset=post.get("preset", ""), title=post.get("title", ""),
                             start=_date(post.get("start", ""), "开始日期"),
                             end=_date(post.get("end", ""), "结束日期"))  # fmt: skip
        return "已按模板建立实施方案"
    plan = sel.plan_in_scope(user, county)
    if plan is None:
        raise ServiceError("尚未建立实施方案")
    if action in ("task", "edit"):
        unit_id, phase = post.get("unit", ""), post.get("phase", "")
        fields: dict[str, Any] = {
            "title": post.get("title", ""),
            "unit": ResponsibleUnit.objects.filter(pk=int(unit_id)).first()
            if unit_id.isdigit() else None,
            "deadline": _date(post.get("deadline", ""), "完成时限"),
            "phase_id": int(phase) if phase.isdigit() else None,
        }  # fmt: skip
        if action == "task":
            services.add_task(user, plan, **fields)
            return "已添加任务"
        task = get_object_or_404(sel.tasks_in_scope(user).filter(plan=plan),
                                 pk=_int(post.get("task", ""), "任务"))  # fmt: skip
        services.edit_task(user, task, **fields)
        return f"已修改任务：{task.title}"
    if action == "remove":
        task = get_object_or_404(sel.tasks_in_scope(user).filter(plan=plan),
                                 pk=_int(post.get("task", ""), "任务"))  # fmt: skip
        return f"已删除任务：{services.remove_task(user, task)}"
    if action == "remove_target":
        target = get_object_or_404(sel.targets_in_scope(user).filter(plan=plan),
                                   pk=_int(post.get("target", ""), "目标"))  # fmt: skip
        return f"已删除目标：{services.remove_target(user, target)}"
    if action == "progress":
        task = get_object_or_404(sel.tasks_in_scope(user).filter(plan=plan),
                                 pk=_int(post.get("task", ""), "任务"))  # fmt: skip
        services.set_progress(user, task, _int(post.get("progress", ""), "完成进度"),
                              post.get("note", ""))  # fmt: skip
        return f"已更新进度：{task.title}（{task.progress}%，{task.status}）"
    if action == "target":
        services.add_target(user, plan, label=post.get("label", ""), metric=post.get("metric", ""),
                            op=post.get("op", "ge"), threshold=post.get("threshold", ""))  # fmt: skip
        return "已添加本地目标"
    if action == "figure":
        target = get_object_or_404(sel.targets_in_scope(user).filter(plan=plan),
                                   pk=_int(post.get("target", ""), "目标"))  # fmt: skip
        services.enter_figure(user, target, _int(post.get("year", ""), "年度"),
                              post.get("value", "").strip())  # fmt: skip
        return "已填报年度数值"
    raise Http404("没有这一操作")


@login_required
@require_POST
def workplan_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    county = info_sel.county_in_scope(request.user, code)
    try:
        messages.success(request, _act(request, county, action))
    except NotAllowed as exc:
        return HttpResponseForbidden(str(exc))
    except ServiceError as exc:
        messages.error(request, f"未保存：{exc}")
    return redirect("creation:workplan", code=county.code)


@login_required
def workplan_export(request: HttpRequest, code: str) -> HttpResponse:
    county = info_sel.county_in_scope(request.user, code)
    plan = sel.plan_in_scope(request.user, county)
    if plan is None:
        raise Http404("该区县尚未建立实施方案")
    today = timezone.localdate()
    sheet = PlanSheet(
        title=plan.title, period=f"{plan.start:%Y-%m-%d} 至 {plan.end:%Y-%m-%d}",
        phases=[(p.name, p.start, p.end) for p in plan.phases.all()],
        tasks=[TaskLine(r.task.phase.name if r.task.phase else "", r.task.title, r.task.unit.name,
                        r.task.deadline, r.task.progress, r.task.status, r.overdue_days, r.task.note)
               for r in sel.task_rows(plan, today)],
        targets=[TargetLine(t.target.label, t.source, f"{OPS[t.target.op]}{t.target.threshold.normalize():f}%",
                            [(c.year, sel.figure_text(c, t.target), c.source, c.met) for c in t.checks])
                 for t in sel.target_rows(plan)],
        today=today,
    )  # fmt: skip
    resp = HttpResponse(
        workplan_xlsx(sheet),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{county.code}-workplan.xlsx"
    return resp


@login_required
def region_page(request: HttpRequest, level: str, code: str) -> HttpResponse:
    """The work plans of a city's or province's counties, read-only, most overdue first."""
    region, _ = _region(request, level, code)
    today = timezone.localdate()
    rows: list[dict[str, Any]] = []
    for county in (
        scoped(request.user, _counties(level, region)).select_related("city").order_by("code")
    ):
        plan = sel.plan_in_scope(request.user, county)
        tasks = sel.task_rows(plan, today) if plan else []
        rows.append({"county": county, "plan": plan, "tasks": len(tasks),
                     "done": sum(1 for r in tasks if r.task.progress >= 100),
                     "overdue": sum(1 for r in tasks if r.overdue_days)})  # fmt: skip
    rows.sort(key=lambda r: (-r["overdue"], r["plan"] is None, r["county"].code))
    return render(request, "creation/workplans.html", {
        "region": region, "level": level, "rows": rows, "scope": scope_of(request.user),
    })  # fmt: skip
