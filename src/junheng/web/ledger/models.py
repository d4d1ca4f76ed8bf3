"""Ledger items: one per shortfall of a county, keyed so a new evaluation never duplicates."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from junheng.process.ledger import Status
from junheng.web.info.models import County, EvaluationRun


class ResponsibleUnit(models.Model):
    """The maintained list of 责任单位 a measure may be given to."""

    name = models.CharField("名称", max_length=60, unique=True)
    order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = verbose_name_plural = "责任单位"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class LedgerItem(models.Model):
    class State(models.TextChoices):
        PENDING = Status.PENDING.value, Status.PENDING.value
        DOING = Status.DOING.value, Status.DOING.value
        REPORTED = Status.REPORTED.value, Status.REPORTED.value
        CLOSED = Status.CLOSED.value, Status.CLOSED.value

    county = models.ForeignKey(County, models.PROTECT, related_name="ledger_items",
                               verbose_name="区县")  # fmt: skip
    key = models.CharField("问题标识", max_length=80)
    kind = models.CharField("类别", max_length=12)
    title = models.CharField("问题", max_length=400)
    detail = models.TextField("现状", blank=True, default="")
    gap = models.CharField("差距", max_length=100, blank=True, default="")
    evidence_only = models.BooleanField("凭佐证材料认定", default=False)
    measure = models.TextField("整改措施", blank=True, default="")
    unit = models.ForeignKey(ResponsibleUnit, models.PROTECT, null=True, blank=True,
                             verbose_name="责任单位")  # fmt: skip
    deadline = models.DateField("完成时限", null=True, blank=True)
    status = models.CharField("整改进度", max_length=8, choices=State.choices,
                              default=State.PENDING)  # fmt: skip
    note = models.CharField("销号情况", max_length=300, blank=True, default="")
    source_run = models.ForeignKey(EvaluationRun, models.PROTECT, related_name="+",
                                   verbose_name="发现问题的评估")  # fmt: skip
    proof_run = models.ForeignKey(EvaluationRun, models.PROTECT, related_name="+", null=True,
                                  blank=True, verbose_name="销号依据的评估")  # fmt: skip
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "整改台账事项"
        constraints = [
            models.UniqueConstraint(fields=["county", "key"], name="ledger_one_item_per_key")
        ]
        ordering = ["county__code", "pk"]

    def __str__(self) -> str:
        return f"{self.county} · {self.title}"

    @property
    def evidence_item(self) -> str:
        """The item name under which evidence files for this ledger item are stored."""
        return f"ledger:{self.pk}"
