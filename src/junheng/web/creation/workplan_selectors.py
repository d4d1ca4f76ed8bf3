"""The work plan of a county as its page shows it: tasks overdue first, targets by year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from junheng.display import DASH, RATIO_DIGITS, Comparison, quoted
from junheng.process import workplan as core
from junheng.web.info.models import County, CountyRecord
from junheng.web.info.scoping import Actor, scoped
from junheng.web.info.services.records import COUNTY_KEYS

from .workplan_models import LocalTarget, TargetFigure, WorkPlan, WorkTask


def plan_in_scope(user: Actor, county: County) -> WorkPlan | None:
    return (
        scoped(user, WorkPlan.objects.filter(county=county))
        .select_related("county__city", "updated_by")
        .first()
    )


def tasks_in_scope(user: Actor) -> QuerySet[WorkTask]:
    return scoped(user, WorkTask.objects.all()).select_related("plan__county", "unit", "phase")


def targets_in_scope(user: Actor) -> QuerySet[LocalTarget]:
    return scoped(user, LocalTarget.objects.all()).select_related("plan__county")


@dataclass(frozen=True, slots=True)
class TaskRow:
    task: WorkTask
    overdue_days: int


def task_rows(plan: WorkPlan, today: date) -> list[TaskRow]:
    """Overdue first (longest overdue on top), then open tasks by deadline, done tasks last."""
    tasks = sorted(
        plan.tasks.select_related("unit", "phase"),
        key=lambda t: (*core.task_order(t.deadline, t.progress, today), t.pk),
    )
    return [TaskRow(t, core.overdue_days(t.deadline, t.progress, today)) for t in tasks]


def county_data(county: County) -> dict[int, dict[str, Any]]:
    """The county's 区县 rows by year, keyed like the data contract."""
    return {
        r.year: {k: getattr(r, k) for k in COUNTY_KEYS}
        for r in CountyRecord.objects.filter(county=county)
    }


@dataclass(frozen=True, slots=True)
class TargetRow:
    target: LocalTarget
    source: str
    checks: list[core.TargetCheck]

    @property
    def latest(self) -> core.TargetCheck | None:
        return self.checks[-1] if self.checks else None


def target_rows(plan: WorkPlan) -> list[TargetRow]:
    data = county_data(plan.county)
    out = []
    for t in plan.targets.prefetch_related("figures"):
        manual = {f.year: f.value for f in t.figures.all()}
        source = (
            "逐年填报" if t.metric == core.MANUAL else f"区县数据：{core.METRICS[t.metric].source}"
        )
        out.append(TargetRow(t, source, core.track(t.metric, t.op, t.threshold, data, manual)))
    return out


def figure_text(check: core.TargetCheck | None, target: LocalTarget) -> str:
    """The year's figure to one decimal, with the exact one where rounding would mislead."""
    if check is None or check.value is None:
        return DASH
    op: Comparison = ">=" if target.op == "ge" else "<="
    return quoted(float(check.value), op, float(target.threshold), RATIO_DIGITS,
                  exact_digits=2, unit="%")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Change:
    when: Any
    who: str
    text: str


def change_log(plan: WorkPlan, limit: int = 20) -> list[Change]:
    """The latest changes to the plan, its tasks and its entered figures, newest first."""
    out = []
    for h in plan.history.select_related("history_user"):
        out.append(
            Change(h.history_date, _who(h), "建立方案" if h.history_type == "+" else "修改方案")
        )
    last: dict[int, Any] = {}  # each task's previous row, to tell a progress report from an edit
    for t in WorkTask.history.filter(plan_id=plan.pk).select_related("history_user", "unit")\
            .order_by("history_date", "history_id"):  # fmt: skip
        before = last.get(t.id)
        last[t.id] = t
        out.append(Change(t.history_date, _who(t), f"任务“{t.title}”：{_task_change(t, before)}"))
    for g in LocalTarget.history.filter(plan_id=plan.pk, history_type="-"):
        out.append(Change(g.history_date, _who(g), f"删除目标“{g.label}”"))
    # from the history, so that a deleted target's figures stay in the log
    labels = {t.id: t.label for t in LocalTarget.history.filter(plan_id=plan.pk)
              .order_by("history_date")}  # fmt: skip
    for f in (
        TargetFigure.history.filter(target_id__in=list(labels))
        .exclude(history_type="-")
        .select_related("history_user")
    ):
        out.append(Change(f.history_date, _who(f),
                          f"目标“{labels[f.target_id]}”：{f.year}年填报 {f.value.normalize():f}%"))  # fmt: skip
    return sorted(out, key=lambda c: c.when, reverse=True)[:limit]


def _task_change(t: Any, before: Any) -> str:
    if t.history_type == "+":
        return "添加任务"
    if t.history_type == "-":
        return "删除任务"
    if before is None or (before.progress, before.note) != (t.progress, t.note):
        return f"进度 {t.progress}%（{t.status}）"
    return f"修改为 责任单位{t.unit.name}，完成时限{t.deadline:%Y-%m-%d}"


def _who(h: Any) -> str:
    return h.history_user.get_username() if h.history_user else "—"
