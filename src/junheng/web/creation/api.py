"""JSON routes of the creation process: plans, the review chain and the county work plan.

Reads are open to every role inside its scope; actions go through the same services as the
pages, so only the city files plans and reviews, only the province recommends and records
recognition, only the county submits its self-evaluation.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from junheng.web.info import selectors as info_sel
from junheng.web.info.apierrors import http_error
from junheng.web.info.models import County, EvaluationRun
from junheng.web.info.scoping import scoped
from junheng.web.info.services.errors import ServiceError

from . import chain, selectors, services, workplan_services
from . import workplan_selectors as wsel
from .models import ChainStep, CreationPlan, Step

router = Router(tags=["创建规划与复核推荐"])


class PlanOut(Schema):
    county: str
    name: str
    planned_year: int | None
    reason: str
    history: list[tuple[int, str]]


class PlanIn(Schema):
    year: int
    reason: str = ""


class StepOut(Schema):
    id: int
    step: str
    label: str
    passed: bool
    opinion: str
    year: int
    batch: str
    run: int
    actor: str
    created_at: datetime


class ChainOut(Schema):
    county: str
    next_step: str | None
    steps: list[StepOut]


class StepIn(Schema):
    passed: bool = True
    opinion: str = ""
    year: int = 0
    batch: str = ""
    run: int = 0


def _plan(county: County) -> PlanOut:
    plan = CreationPlan.objects.filter(county=county).first()
    history = (
        [(h.planned_year, h.reason) for h in plan.history.order_by("history_date")] if plan else []
    )
    return PlanOut(county=county.code, name=county.name, reason=plan.reason if plan else "",
                   planned_year=plan.planned_year if plan else None, history=history)  # fmt: skip


class ProgressOut(Schema):
    county: str
    name: str
    city: str
    planned_year: int | None
    self_evaluated: int | None
    city_reviewed: int | None
    recommended: int | None
    recognised: int | None


@router.get("/plans", response=list[ProgressOut], summary="本人权限范围内各区县的计划年度和进程")
def plans(request: HttpRequest) -> list[ProgressOut]:
    return [
        ProgressOut(county=p.code, name=p.name, city=p.city, planned_year=p.planned_year,
                    self_evaluated=p.self_evaluated, city_reviewed=p.city_reviewed,
                    recommended=p.recommended, recognised=p.recognised)
        for p in selectors.county_plans(request.user, County.objects.all())
    ]  # fmt: skip


@router.get("/counties/{code}/plan", response=PlanOut, summary="区县计划申报年度及调整记录")
def get_plan(request: HttpRequest, code: str) -> PlanOut:
    return _plan(info_sel.county_in_scope(request.user, code))


@router.put("/counties/{code}/plan", response=PlanOut, summary="填报或调整计划申报年度（地市）")
def put_plan(request: HttpRequest, code: str, body: PlanIn) -> PlanOut:
    county = info_sel.county_in_scope(request.user, code)
    try:
        services.set_plan(request.user, county, body.year, body.reason)
    except ServiceError as exc:
        raise http_error(exc) from exc
    return _plan(county)


def _step(s: ChainStep) -> StepOut:
    return StepOut(id=s.pk, step=s.step, label=Step(s.step).label, passed=s.passed,
                   opinion=s.opinion, year=s.year, batch=s.batch, run=s.run_id,
                   actor=s.actor.get_username(),
                   created_at=timezone.localtime(s.created_at))  # fmt: skip


def _chain(county: County) -> ChainOut:
    steps = chain.steps_of(county)
    done = bool(steps) and steps[-1].step == Step.NATIONAL and steps[-1].passed
    return ChainOut(county=county.code, next_step=None if done else chain.next_step(county).value,
                    steps=[_step(s) for s in steps])  # fmt: skip


@router.get("/counties/{code}/chain", response=ChainOut, summary="复核推荐环节（县→市→省→国家）")
def get_chain(request: HttpRequest, code: str) -> ChainOut:
    return _chain(info_sel.county_in_scope(request.user, code))


@router.post(
    "/counties/{code}/chain/{step}", response=ChainOut,
    summary="办理环节：self 县级自评 / city 市级复核 / province 省级评估 / national 国家认定",
)  # fmt: skip
def chain_action(request: HttpRequest, code: str, step: str, body: StepIn) -> ChainOut:
    county = info_sel.county_in_scope(request.user, code)
    user = request.user
    try:
        if step == Step.SELF:
            run = scoped(user, EvaluationRun.objects.filter(county=county, pk=body.run)).first()
            if run is None:
                raise HttpError(404, "没有这条评估记录")
            chain.self_evaluate(user, county, run, body.opinion)
        elif step == Step.CITY:
            chain.city_review(user, county, passed=body.passed, opinion=body.opinion)
        elif step == Step.PROVINCE:
            chain.province_evaluate(user, county, recommended=body.passed, opinion=body.opinion,
                                    year=body.year)  # fmt: skip
        elif step == Step.NATIONAL:
            chain.national(user, county, batch=body.batch, year=body.year, opinion=body.opinion)
        else:
            raise HttpError(404, "没有这一环节")
    except ServiceError as exc:
        raise http_error(exc) from exc
    return _chain(county)


class TaskOut(Schema):
    id: int
    phase: str | None
    title: str
    unit: str
    deadline: date
    progress: int
    status: str
    overdue_days: int


def _task(r: wsel.TaskRow) -> TaskOut:
    t = r.task
    return TaskOut(id=t.pk, phase=t.phase.name if t.phase else None, title=t.title,
                   unit=t.unit.name, deadline=t.deadline, progress=t.progress, status=t.status,
                   overdue_days=r.overdue_days)  # fmt: skip


class TargetYearOut(Schema):
    year: int
    value: float | None
    source: str
    met: bool | None


class TargetOut(Schema):
    id: int
    label: str
    metric: str
    op: str
    threshold: float
    years: list[TargetYearOut]


class PhaseOut(Schema):
    name: str
    start: date
    end: date


class WorkPlanOut(Schema):
    county: str
    title: str
    start: date
    end: date
    phases: list[PhaseOut]
    tasks: list[TaskOut]
    targets: list[TargetOut]


@router.get(
    "/counties/{code}/workplan", response=WorkPlanOut, summary="区县实施方案（逾期任务在前）"
)
def get_workplan(request: HttpRequest, code: str) -> WorkPlanOut:
    county = info_sel.county_in_scope(request.user, code)
    plan = wsel.plan_in_scope(request.user, county)
    if plan is None:
        raise HttpError(404, f"{county.name}尚未建立实施方案")
    rows = wsel.task_rows(plan, timezone.localdate())
    return WorkPlanOut(
        county=county.code, title=plan.title, start=plan.start, end=plan.end,
        phases=[PhaseOut(name=p.name, start=p.start, end=p.end) for p in plan.phases.all()],
        tasks=[_task(r) for r in rows],
        targets=[TargetOut(id=t.target.pk, label=t.target.label, metric=t.target.metric,
                           op=t.target.op, threshold=float(t.target.threshold),
                           years=[TargetYearOut(year=c.year, source=c.source, met=c.met,
                                                value=None if c.value is None else float(c.value))
                                  for c in t.checks])
                 for t in wsel.target_rows(plan)],
    )  # fmt: skip


class ProgressIn(Schema):
    progress: int
    note: str = ""


@router.put("/workplan/tasks/{pk}", response=TaskOut, summary="更新实施方案任务的完成进度（区县）")
def put_task(request: HttpRequest, pk: int, body: ProgressIn) -> TaskOut:
    task = wsel.tasks_in_scope(request.user).filter(pk=pk).first()
    if task is None:
        raise HttpError(404, "没有这项任务")
    try:
        workplan_services.set_progress(request.user, task, body.progress, body.note)
    except ServiceError as exc:
        raise http_error(exc) from exc
    row = next(r for r in wsel.task_rows(task.plan, timezone.localdate()) if r.task.pk == pk)
    return _task(row)
