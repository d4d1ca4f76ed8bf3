"""Users' roles, evidence files, evaluation runs, city reviews and provincial targets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .units import County, Province


class Role(models.TextChoices):
    SCHOOL = "school", "学校填报员"
    COUNTY = "county", "区县教育督导"
    CITY = "city", "地市复核员"
    PROVINCE = "province", "省级管理员"
    ADMIN = "admin", "系统管理员"


class UserProfile(models.Model):
    """What a user may see and do: a role bound to one unit of the hierarchy."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile")
    role = models.CharField("角色", max_length=10, choices=Role.choices)
    unit_code = models.CharField(
        "所属单位代码", max_length=10, blank=True, default="",
        help_text="学校填报员填学校标识码；区县、地市、省级填6位区划代码；系统管理员可空",
    )  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = "用户角色"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}" + (
            f" · {self.unit_code}" if self.unit_code else ""
        )


class Evidence(models.Model):
    """An uploaded proof for a county item, stored outside the web root, sha256 kept."""

    county = models.ForeignKey(County, models.PROTECT, related_name="evidence", verbose_name="区县")
    year = models.PositiveIntegerField("年度")
    item = models.CharField("对应指标", max_length=40)
    title = models.CharField("说明", max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    stored_path = models.CharField("存储路径", max_length=300, editable=False)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年 {self.title}"

    @property
    def item_label(self) -> str:
        from ..services.evidence import item_label  # the standard's wording of the item

        return item_label(self.item)


class EvaluationRun(models.Model):
    """One evaluation of a county's data for a year.

    The engine's full JSON result lives in :class:`EvaluationResult`, apart: SQLite reads a
    row's columns in order, so every column after a large JSON value (and every list of a
    county's runs) would cost reading it. Pages use the small ``summary`` and ``display``.
    """

    county = models.ForeignKey(
        County, models.PROTECT, related_name="evaluations", verbose_name="区县"
    )
    year = models.PositiveIntegerField("年度")
    standard = models.CharField("评估标准", max_length=60)
    recognised = models.BooleanField("是否通过")
    locked = models.BooleanField("已锁定数据", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name="评估人")
    created_at = models.DateTimeField("评估时间", auto_now_add=True)
    # (school records, sum of their versions, county record version) when evaluated:
    # any later save raises a version, so a different fingerprint means stale
    fingerprint = models.CharField("数据指纹", max_length=60, blank=True, default="")
    # small per-run figures for the trend and rankings
    summary = models.JSONField("摘要", default=dict, blank=True)
    # the county page's rows and chart, formatted once when the run is made (last: largest)
    display = models.JSONField("页面数据", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评估记录"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["county", "year", "created_at"], name="run_county_year")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年评估#{self.pk}（{'通过' if self.recognised else '未通过'}）"

    @property
    def result(self) -> dict[str, Any]:
        """The engine's JSON result (data contract), read only when asked for."""
        return dict(EvaluationResult.objects.values_list("data", flat=True).get(run_id=self.pk))


class EvaluationResult(models.Model):
    run = models.OneToOneField(EvaluationRun, models.CASCADE, primary_key=True,
                               related_name="full_result", verbose_name="评估记录")  # fmt: skip
    data = models.JSONField("评估结果")

    class Meta:
        verbose_name = verbose_name_plural = "评估结果"


class CityReview(models.Model):
    class Decision(models.TextChoices):
        AGREE = "agree", "同意上报"
        RECTIFY = "rectify", "退回整改"

    county = models.ForeignKey(
        County, models.PROTECT, related_name="city_reviews", verbose_name="区县"
    )
    year = models.PositiveIntegerField("年度")
    decision = models.CharField("复核意见", max_length=10, choices=Decision.choices)
    comment = models.TextField("说明", blank=True, default="")
    run = models.ForeignKey(
        EvaluationRun, models.PROTECT, null=True, blank=True, related_name="reviews",
        verbose_name="复核的评估记录",
    )  # fmt: skip
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name="复核人")
    created_at = models.DateTimeField("复核时间", auto_now_add=True)
    history = HistoricalRecords(
        verbose_name="市级复核修改记录", verbose_name_plural="市级复核修改记录"
    )

    class Meta:
        verbose_name = verbose_name_plural = "市级复核"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.county} {self.year}年 {self.get_decision_display()}"


class ProvinceTarget(models.Model):
    """The share of counties a province aims to have recognised by a year (e.g. 30% by 2025)."""

    province = models.ForeignKey(
        Province, models.PROTECT, related_name="targets", verbose_name="省份"
    )
    year = models.PositiveIntegerField("目标年度")
    share = models.FloatField("认定区县占比目标（%）")
    history = HistoricalRecords(
        verbose_name="省级创建目标修改记录", verbose_name_plural="省级创建目标修改记录"
    )

    class Meta:
        verbose_name = verbose_name_plural = "省级创建目标"
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="one_target_per_year")
        ]
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.province} {self.year}年目标 {self.share:g}%"
