"""A county's survey of one year, its one-time invitations and its anonymous returns.

A return keeps no name, phone number, address or link to the invitation it came through: the
invitation only records that it was used, so nobody can tell who answered what.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from junheng.web.info.models import County, School

GROUP_CHOICES = [
    ("student", "学生"),
    ("parent", "家长"),
    ("teacher", "教师"),
    ("principal", "校长"),
    ("npc", "人大代表"),
    ("cppcc", "政协委员"),
    ("public", "其他群众"),
]
AREA_CHOICES = [("城区", "城区"), ("镇区", "镇区"), ("乡村", "乡村")]


class Survey(models.Model):
    county = models.ForeignKey(County, models.PROTECT, related_name="surveys", verbose_name="区县")
    year = models.PositiveIntegerField("年度")
    questionnaire: models.JSONField[Any, Any] = models.JSONField(
        "问卷", help_text="创建时的问卷全文；每份答卷都按这一版本计算"
    )
    version = models.CharField("问卷版本", max_length=20)
    is_open = models.BooleanField("正在收集", default=True)
    visits = models.PositiveIntegerField("实地走访人数", default=0)
    visits_satisfied = models.PositiveIntegerField("走访满意人数", default=0)
    parent_visits = models.PositiveIntegerField("走访家长人数", default=0)
    parent_visits_satisfied = models.PositiveIntegerField("走访家长满意人数", default=0)
    confirmed_at = models.DateTimeField("结果确认时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="调查修改记录")

    class Meta:
        verbose_name = verbose_name_plural = "社会认可度调查"
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="one_survey_per_county_year")
        ]

    def __str__(self) -> str:
        return f"{self.county.name} {self.year}年社会认可度调查"


class Invitation(models.Model):
    """One code, one questionnaire."""

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="invitations")
    code = models.CharField("邀请码", max_length=16, unique=True)
    group = models.CharField("调查对象", max_length=10, choices=GROUP_CHOICES)
    area = models.CharField("城乡", max_length=4, choices=AREA_CHOICES)
    school = models.ForeignKey(School, models.PROTECT, null=True, blank=True, verbose_name="学校")
    used = models.BooleanField("已使用", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "问卷邀请码"


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, models.CASCADE, related_name="responses")
    group = models.CharField("调查对象", max_length=10, choices=GROUP_CHOICES)
    area = models.CharField("城乡", max_length=4, choices=AREA_CHOICES)
    school_code = models.CharField("学校代码", max_length=10, blank=True, default="")
    version = models.CharField("问卷版本", max_length=20)
    answers: models.JSONField[Any, Any] = models.JSONField("答案")
    source = models.CharField(
        "来源", max_length=10, choices=[("online", "网上"), ("paper", "纸质")], default="online"
    )
    # the day only: a time of day could be matched with who was seen filling in the form
    received_on = models.DateField("收到日期", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "问卷答卷"


class QuestionnaireSet(models.Model):
    """A province's or county's own questionnaire (TOML, the layout of the default set).

    A new survey takes the county's newest set, else its province's, else the default; returns
    keep the version they answered, so editing a set never changes past results.
    """

    unit_code = models.CharField("单位代码", max_length=6, help_text="省或区县的6位区划代码")
    text = models.TextField("问卷（TOML）")
    version = models.CharField("版本", max_length=20, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "问卷题目"
        ordering = ["unit_code", "-created_at"]

    def __str__(self) -> str:
        return f"{self.unit_code} 问卷 {self.version}"
