"""A county's work plan (实施方案): phases, tasks with 责任单位 and progress, local targets."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from junheng.process.workplan import MANUAL, METRICS, OPS, PRESETS, TaskStatus
from junheng.web.info.models import County
from junheng.web.ledger.models import ResponsibleUnit


class WorkPlan(models.Model):
    county = models.OneToOneField(County, models.PROTECT, related_name="work_plan",
                                  verbose_name="区县")  # fmt: skip
    title = models.CharField("方案名称", max_length=120)
    preset = models.CharField("方案模板", max_length=20,
                              choices=[(k, v[0]) for k, v in PRESETS.items()])  # fmt: skip
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name="填报人")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "实施方案"
        ordering = ["county__code"]

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    plan = models.ForeignKey(
        WorkPlan, models.CASCADE, related_name="phases", verbose_name="实施方案"
    )
    order = models.PositiveIntegerField("顺序")
    name = models.CharField("阶段", max_length=40)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "实施阶段"
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.name


class WorkTask(models.Model):
    plan = models.ForeignKey(
        WorkPlan, models.CASCADE, related_name="tasks", verbose_name="实施方案"
    )
    phase = models.ForeignKey(Phase, models.SET_NULL, null=True, blank=True, related_name="tasks",
                              verbose_name="阶段")  # fmt: skip
    title = models.CharField("任务", max_length=300)
    unit = models.ForeignKey(ResponsibleUnit, models.PROTECT, verbose_name="责任单位")
    deadline = models.DateField("完成时限")
    progress = models.PositiveIntegerField("完成进度（%）", default=0,
                                           validators=[MaxValueValidator(100)])  # fmt: skip
    status = models.CharField("状态", max_length=6, default=TaskStatus.NOT_STARTED,
                              choices=[(s.value, s.value) for s in TaskStatus])  # fmt: skip
    note = models.CharField("进展情况", max_length=300, blank=True, default="")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name="填报人")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "实施任务"
        ordering = ["plan", "deadline", "pk"]

    def __str__(self) -> str:
        return self.title


class LocalTarget(models.Model):
    plan = models.ForeignKey(
        WorkPlan, models.CASCADE, related_name="targets", verbose_name="实施方案"
    )
    label = models.CharField("目标", max_length=80)
    metric = models.CharField("数据来源", max_length=20,
                              choices=[(MANUAL, "逐年填报")] + [(k, m.label) for k, m in METRICS.items()])  # fmt: skip
    op = models.CharField("比较", max_length=2, choices=list(OPS.items()), default="ge")
    threshold = models.DecimalField("目标值（%）", max_digits=6, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "本地目标"
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.label


class TargetFigure(models.Model):
    """A figure entered by hand for a year where the data does not carry it."""

    target = models.ForeignKey(LocalTarget, models.CASCADE, related_name="figures",
                               verbose_name="本地目标")  # fmt: skip
    year = models.PositiveIntegerField("年度")
    value = models.DecimalField("数值（%）", max_digits=6, decimal_places=2)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name="填报人")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "目标年度数值"
        constraints = [
            models.UniqueConstraint(fields=["target", "year"], name="workplan_one_figure_per_year")
        ]
