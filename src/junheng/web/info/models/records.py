"""Yearly data of a school and of a county: the data contract's fields as columns.

The columns are generated from :mod:`junheng.contract`, so the web form, the import,
the export and the engine all use one definition.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from simple_history.models import HistoricalRecords

from junheng.contract import COUNTY_COLUMNS, SCHOOL_COLUMNS, SCHOOL_TYPES, Column, Kind

from .units import County, School

SCHOOL_RECORD_COLUMNS = tuple(
    c for c in SCHOOL_COLUMNS if c.key not in ("code", "county_code", "county_name")
)
COUNTY_RECORD_COLUMNS = tuple(
    c for c in COUNTY_COLUMNS if c.key not in ("county_code", "county_name", "year")
)


def contract_field(col: Column) -> models.Field[Any, Any]:
    help_text = "；".join(x for x in (f"单位：{col.unit}" if col.unit else "", col.note) if x)
    kw: dict[str, Any] = {
        "verbose_name": col.header,
        "help_text": help_text,
        "null": True,
        "blank": True,
    }
    if col.key == "type":
        return models.CharField(
            max_length=20, choices=[(v, k) for k, v in SCHOOL_TYPES.items()], **kw
        )
    if col.kind in (Kind.INT, Kind.LEVEL):
        return models.PositiveIntegerField(**kw)
    if col.kind is Kind.NUMBER:
        return models.FloatField(**kw)
    if col.kind is Kind.BOOL:
        return models.BooleanField(**kw)
    if col.kind is Kind.CHOICE:
        return models.CharField(max_length=20, choices=[(c, c) for c in col.choices], **kw)
    return models.CharField(max_length=100, **kw)


def _abstract(name: str, columns: tuple[Column, ...]) -> type[models.Model]:
    attrs: dict[str, Any] = {c.key: contract_field(c) for c in columns}
    attrs["__module__"] = __name__
    attrs["Meta"] = type("Meta", (), {"abstract": True})
    return type(name, (models.Model,), attrs)


SchoolFields = _abstract("SchoolFields", SCHOOL_RECORD_COLUMNS)
CountyFields = _abstract("CountyFields", COUNTY_RECORD_COLUMNS)


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已审核"
    LOCKED = "locked", "已锁定"


class SchoolRecord(SchoolFields):  # type: ignore[misc,valid-type]
    school = models.ForeignKey(School, models.PROTECT, related_name="records", verbose_name="学校")
    year = models.PositiveIntegerField("年度")
    status = models.CharField("状态", max_length=10, choices=RecordStatus.choices,
                              default=RecordStatus.DRAFT)  # fmt: skip
    status_note = models.CharField("退回原因/锁定说明", max_length=300, blank=True, default="")
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(
        verbose_name="学校数据修改记录", verbose_name_plural="学校数据修改记录"
    )

    class Meta:
        verbose_name = verbose_name_plural = "学校年度数据"
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="one_record_per_school_year")
        ]
        ordering = ["year", "school__code"]

    def __str__(self) -> str:
        return f"{self.school.name} {self.year}年"


class CountyRecord(CountyFields):  # type: ignore[misc,valid-type]
    county = models.ForeignKey(County, models.PROTECT, related_name="records", verbose_name="区县")
    year = models.PositiveIntegerField("年度")
    status = models.CharField("状态", max_length=10, choices=RecordStatus.choices,
                              default=RecordStatus.DRAFT)  # fmt: skip
    status_note = models.CharField("锁定说明", max_length=300, blank=True, default="")
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(
        verbose_name="区县数据修改记录", verbose_name_plural="区县数据修改记录"
    )

    class Meta:
        verbose_name = verbose_name_plural = "区县年度数据"
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="one_record_per_county_year")
        ]
        ordering = ["year", "county__code"]

    def __str__(self) -> str:
        return f"{self.county.name} {self.year}年"
