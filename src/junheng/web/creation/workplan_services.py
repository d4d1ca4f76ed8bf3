"""Work plan actions. Only the county's own 督导人员 (and the administrator) change its plan;
the city and the province read it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.db import transaction
from django.db.models import Model

from junheng.process import workplan as core
from junheng.web.info.models import County
from junheng.web.info.scoping import Actor, scope_of, scoped
from junheng.web.info.services.errors import NotAllowed, ServiceError, signed_in
from junheng.web.info.services.records import stamp
from junheng.web.ledger.models import ResponsibleUnit

from .workplan_models import LocalTarget, Phase, TargetFigure, WorkPlan, WorkTask

M = TypeVar("M", bound=Model)


def _may_edit(user: Actor, county: County) -> None:
    if not (
        scope_of(user).may("edit_county")
        and scoped(user, County.objects.filter(pk=county.pk)).exists()
    ):
        raise NotAllowed("只有本区县的督导人员可以修改实施方案")


def _saved(user: Actor, obj: M) -> M:
    stamp(obj, user)  # the history row names who made the change
    obj.save()
    return obj


def create_plan(user: Actor, county: County, *, preset: str, start: date | None,
                end: date | None, title: str = "") -> WorkPlan:  # fmt: skip
    """A new plan from a preset: its phases split the plan's dates; the preset's local targets
    (交流轮岗 ≥ 10%, 音体美 ≥ 20% of new hires, 体质健康优良率 ≥ 55%) come with it."""
    _may_edit(user, county)
    if WorkPlan.objects.filter(county=county).exists():
        raise ServiceError(f"{county.name}已有实施方案，请在原方案上修改")
    try:
        core.check_range(start, end, "实施方案")
        assert start is not None and end is not None  # check_range refused a missing date
        phases = core.preset_phases(preset, start, end)
    except core.WorkPlanError as exc:
        raise ServiceError(str(exc)) from None
    with transaction.atomic():
        plan = _saved(user, WorkPlan(
            county=county, preset=preset, start=start, end=end, updated_by=signed_in(user),
            title=title.strip()[:120] or f"{county.name}义务教育优质均衡发展创建实施方案",
        ))  # fmt: skip
        for i, p in enumerate(phases):
            _saved(user, Phase(plan=plan, order=i, name=p.name, start=p.start, end=p.end))
        for label, metric, threshold in DEFAULT_TARGETS:
            _saved(user, LocalTarget(plan=plan, label=label, metric=metric, op="ge",
                                     threshold=Decimal(threshold)))  # fmt: skip
    return plan


DEFAULT_TARGETS = (
    ("交流轮岗教师比例不低于10%", "rotation", "10"),
    ("新招聘教师中音体美教师不低于20%", core.MANUAL, "20"),
    ("学生体质健康优良率不低于55%", core.MANUAL, "55"),
)


def _phase_of(plan: WorkPlan, phase_id: int | None) -> Phase | None:
    if phase_id is None:
        return None
    phase = plan.phases.filter(pk=phase_id).first()
    if phase is None:
        raise ServiceError("所选阶段不属于本方案")
    return phase


def _task_fields(title: str, unit: ResponsibleUnit | None, deadline: date | None) -> str:
    title = title.strip()
    if not title:
        raise ServiceError("请填写任务内容")
    if unit is None:
        raise ServiceError("请从责任单位名单中选择责任单位")
    if deadline is None:
        raise ServiceError("请填写完成时限")
    return title[:300]


def add_task(user: Actor, plan: WorkPlan, *, title: str, unit: ResponsibleUnit | None,
             deadline: date | None, phase_id: int | None = None) -> WorkTask:  # fmt: skip
    _may_edit(user, plan.county)
    title = _task_fields(title, unit, deadline)
    assert unit is not None and deadline is not None  # _task_fields refused them missing
    return _saved(user, WorkTask(plan=plan, phase=_phase_of(plan, phase_id), title=title,
                                 unit=unit, deadline=deadline, updated_by=signed_in(user)))  # fmt: skip


def edit_task(user: Actor, task: WorkTask, *, title: str, unit: ResponsibleUnit | None,
              deadline: date | None, phase_id: int | None = None) -> WorkTask:  # fmt: skip
    """Reword a task, move its deadline or give it to another unit; progress stays."""
    _may_edit(user, task.plan.county)
    task.title = _task_fields(title, unit, deadline)
    assert unit is not None and deadline is not None  # _task_fields refused them missing
    task.unit = unit
    task.deadline = deadline
    task.phase, task.updated_by = _phase_of(task.plan, phase_id), signed_in(user)
    return _saved(user, task)


def remove_task(user: Actor, task: WorkTask) -> str:
    """Delete a task entered by mistake; the history keeps it with who deleted it."""
    _may_edit(user, task.plan.county)
    title = task.title
    stamp(task, user)
    task.delete()
    return title


def remove_target(user: Actor, target: LocalTarget) -> str:
    """Drop a local target with its entered figures; the history keeps both."""
    _may_edit(user, target.plan.county)
    label = target.label
    with transaction.atomic():
        for fig in target.figures.all():
            stamp(fig, user)
            fig.delete()
        stamp(target, user)
        target.delete()
    return label


def set_progress(user: Actor, task: WorkTask, progress: object, note: str = "") -> WorkTask:
    """Record progress in percent; the status follows (0 未开始, 1–99 进行中, 100 已完成)."""
    _may_edit(user, task.plan.county)
    try:
        pct = core.check_progress(progress)
    except core.WorkPlanError as exc:
        raise ServiceError(str(exc)) from None
    task.progress, task.status = pct, core.status_for(pct).value
    task.note, task.updated_by = note.strip()[:300], signed_in(user)
    return _saved(user, task)


def add_target(user: Actor, plan: WorkPlan, *, label: str, metric: str, op: str,
               threshold: object) -> LocalTarget:  # fmt: skip
    _may_edit(user, plan.county)
    if not label.strip():
        raise ServiceError("请填写目标名称")
    try:
        value = core.check_target(metric, op, threshold)
    except core.WorkPlanError as exc:
        raise ServiceError(str(exc)) from None
    return _saved(user, LocalTarget(plan=plan, label=label.strip()[:80], metric=metric, op=op,
                                    threshold=Decimal(value.numerator) / value.denominator))  # fmt: skip


def enter_figure(user: Actor, target: LocalTarget, year: int, value: object) -> TargetFigure:
    """A year's figure entered by hand (for targets the data does not carry)."""
    _may_edit(user, target.plan.county)
    try:
        core.check_target(core.MANUAL, "ge", value)
        number = Decimal(str(value))
    except (core.WorkPlanError, ArithmeticError):
        raise ServiceError(f"数值应为0—100之间的百分数，填写的是“{value}”") from None
    if not 2000 <= year <= 2100:
        raise ServiceError(f"年度应为四位年份，填写的是“{year}”")
    fig = TargetFigure.objects.filter(target=target, year=year).first() or TargetFigure(
        target=target, year=year
    )
    fig.value, fig.updated_by = number, signed_in(user)
    return _saved(user, fig)
