"""The administrative hierarchy: province → city → county → school, by official codes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from junheng.errors import StandardError
from junheng.standard import DEFAULT_STANDARD, load_standard

division_code = RegexValidator(r"^\d{6}$", "应为6位数字的行政区划代码")
school_code = RegexValidator(r"^\d{10}$", "应为10位数字的学校标识码")


def known_standard(value: str) -> None:
    """Only a standard the system can load (bundled or in the standards directory)."""
    if "/" in value or "\\" in value or value.endswith(".toml"):
        raise ValidationError(f"评估标准“{value}”无效：应填写标准编号，不能是文件路径")
    try:
        load_standard(value)
    except (StandardError, KeyError, OSError) as exc:
        raise ValidationError(f"没有编号为“{value}”的评估标准") from exc


class Province(models.Model):
    code = models.CharField("区划代码", max_length=6, unique=True, validators=[division_code])
    name = models.CharField("名称", max_length=50)
    # the province decides which standard its counties are evaluated against
    standard = models.CharField(
        "评估标准", max_length=60, default=DEFAULT_STANDARD, validators=[known_standard],
        help_text="本省各区县评估使用的标准编号（如 national-2017），区县不能自行选择",
    )  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = "省份"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class City(models.Model):
    province = models.ForeignKey(
        Province, models.PROTECT, related_name="cities", verbose_name="省份"
    )
    code = models.CharField("区划代码", max_length=6, unique=True, validators=[division_code])
    name = models.CharField("名称", max_length=50)

    class Meta:
        verbose_name = verbose_name_plural = "地市"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    city = models.ForeignKey(City, models.PROTECT, related_name="counties", verbose_name="地市")
    code = models.CharField("区划代码", max_length=6, unique=True, validators=[division_code])
    name = models.CharField("名称", max_length=50)

    class Meta:
        verbose_name = verbose_name_plural = "区县"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A school across years; its yearly data are :class:`SchoolRecord` rows.

    Closing or merging a school keeps it and its records: history is never deleted.
    """

    county = models.ForeignKey(County, models.PROTECT, related_name="schools", verbose_name="区县")
    code = models.CharField("学校标识码", max_length=10, unique=True, validators=[school_code])
    name = models.CharField("学校名称", max_length=100)
    opened_year = models.PositiveIntegerField("开办年度", null=True, blank=True)
    closed_year = models.PositiveIntegerField(
        "撤并年度", null=True, blank=True, help_text="此年度起不再填报"
    )
    merged_into = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="merged_from",
        verbose_name="并入学校",
    )  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = "学校"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def active_in(self, year: int) -> bool:
        return (self.opened_year or 0) <= year and (
            self.closed_year is None or year < self.closed_year
        )
