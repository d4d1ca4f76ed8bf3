"""Creation plans (the year each county plans to apply) and the review chain's steps."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from junheng.process.plan import FIRST_YEAR, LAST_YEAR
from junheng.web.info.models import County, EvaluationRun


class CreationPlan(models.Model):
    """The year a county plans to apply for recognition, filed by its city; changes keep
    their reason in the history."""

    county = models.OneToOneField(County, models.PROTECT, related_name="creation_plan",
                                  verbose_name="区县")  # fmt: skip
    planned_year = models.PositiveIntegerField(
        "计划申报年度", validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    reason = models.CharField("调整原因", max_length=300, blank=True, default="")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name="填报人")
    updated_at = models.DateTimeField("填报时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "创建规划"
        ordering = ["county__code"]


class Step(models.TextChoices):
    SELF = "self", "县级自评"
    CITY = "city", "市级复核"
    PROVINCE = "province", "省级评估"
    NATIONAL = "national", "国家认定"


STEP_ORDER = [Step.SELF, Step.CITY, Step.PROVINCE, Step.NATIONAL]


class FrozenError(Exception):
    """A review step's snapshot was about to change: it stays as it was judged."""


class ChainStep(models.Model):
    """One step of 县级自评 → 市级复核 → 省级评估 → 国家认定, with the exact evaluation it
    judged frozen in ``snapshot``: the row is written once and never changed."""

    county = models.ForeignKey(County, models.PROTECT, related_name="chain_steps",
                               verbose_name="区县")  # fmt: skip
    step = models.CharField("环节", max_length=10, choices=Step.choices)
    passed = models.BooleanField("通过")
    opinion = models.TextField("意见", blank=True, default="")
    year = models.PositiveIntegerField("年度")
    batch = models.CharField("认定批次", max_length=40, blank=True, default="")
    run = models.ForeignKey(EvaluationRun, models.PROTECT, related_name="+",
                            verbose_name="所依据的评估")  # fmt: skip
    snapshot = models.JSONField("评估快照")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name="经办人")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "复核推荐环节"
        ordering = ["county__code", "created_at", "pk"]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise FrozenError("复核推荐记录一经保存不能修改")
        super().save(*args, **kwargs)


class Recommendation(models.Model):
    """The texts of the 先行创建县推荐表; its figures come from the data when it is shown."""

    county = models.OneToOneField(County, models.PROTECT, related_name="recommendation",
                                  verbose_name="区县")  # fmt: skip
    situation = models.TextField("义务教育优质均衡发展现状", blank=True, default="")
    approach = models.TextField("主要做法", blank=True, default="")
    opinion = models.TextField("省级推荐意见", blank=True, default="")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "先行创建县推荐表"


# the work plan's models live in their own module; importing them here registers them
from .workplan_models import LocalTarget as LocalTarget  # noqa: E402
from .workplan_models import Phase as Phase  # noqa: E402
from .workplan_models import TargetFigure as TargetFigure  # noqa: E402
from .workplan_models import WorkPlan as WorkPlan  # noqa: E402
from .workplan_models import WorkTask as WorkTask  # noqa: E402
