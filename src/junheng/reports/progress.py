"""What an overview shows besides the evaluation: open 整改 items and 巩固监测 warnings per county.

The web layer reads them from its ledger and monitoring apps and hands them over as these plain
records; an overview made from a workbook has neither and says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..process.monitoring import LEVEL_ORDER, Alert, Level
from ..results import CountyResult

TOP_ITEMS = 3
"""Open items named per county; the rest are counted."""

NO_LEDGER = "无整改台账数据（由填报工作簿生成的汇总不含整改台账）。"
NO_MONITORING = "无巩固监测数据（由填报工作簿生成的汇总不含巩固监测）。"
LEDGER_HEADS = ("区县代码", "区县名称", "未销号事项", "其中：逾期", "主要事项（逾期在前）")
LEVELS = tuple(sorted(Level, key=LEVEL_ORDER.__getitem__))
"""Most severe first: 严重, 预警, 提示."""
WARNING_HEADS = ("区县代码", "区县名称", "监测年度", *(lv.value for lv in LEVELS), "预警事项")


@dataclass(frozen=True, slots=True)
class OpenItem:
    """An open (not yet 销号) item of a county's rectification ledger."""

    title: str
    due: str = ""
    status: str = ""
    overdue: bool = False

    def line(self) -> str:
        when = f"，完成时限{self.due}" if self.due else ""
        late = "，已逾期" if self.overdue else ""
        state = f"（{self.status}{when}{late}）" if self.status or when or late else ""
        return self.title + state


@dataclass(frozen=True, slots=True)
class Watch:
    """This year's 巩固监测 warnings of a recognised county."""

    year: int | None
    alerts: Sequence[Alert] = ()


@dataclass(frozen=True, slots=True)
class Progress:
    """Per county code: open ledger items, and monitoring of the recognised counties.

    ``None`` means the source has no such data at all (a workbook); a county missing from a
    mapping that is present has no open item, or is not monitored."""

    ledger: Mapping[str, Sequence[OpenItem]] | None = None
    monitoring: Mapping[str, Watch] | None = None
    top: int = field(default=TOP_ITEMS)


def ledger_rows(counties: Sequence[CountyResult], p: Progress) -> list[tuple[str, ...]]:
    """One row per county with open items, most overdue first; counties with none are left out."""
    if p.ledger is None:
        return []
    rows: list[tuple[tuple[int, int, str], tuple[str, ...]]] = []
    for c in counties:
        # stable: the caller's order (overdue first, then deadline) survives within each group
        items = sorted(p.ledger.get(c.code, ()), key=lambda i: not i.overdue)
        if not items:
            continue
        late = sum(i.overdue for i in items)
        named = "；".join(f"{n}. {i.line()}" for n, i in enumerate(items[: p.top], start=1))
        more = f"；另有{len(items) - p.top}项" if len(items) > p.top else ""
        rows.append(((-late, -len(items), c.code),
                     (c.code, c.name, str(len(items)), str(late), named + more)))  # fmt: skip
    return [row for _, row in sorted(rows)]


def ledger_summary(counties: Sequence[CountyResult], p: Progress) -> str:
    if p.ledger is None:
        return NO_LEDGER
    codes = {c.code for c in counties}
    items = [i for code, its in p.ledger.items() if code in codes for i in its]
    with_items = sum(1 for code in codes if p.ledger.get(code))
    late = sum(i.overdue for i in items)
    if not items:
        return "各区县没有未销号的整改事项。"
    return f"{with_items}个区县共有未销号整改事项{len(items)}项，其中逾期{late}项。"


def warning_rows(counties: Sequence[CountyResult], p: Progress) -> list[tuple[str, ...]]:
    """One row per monitored county, most severe first."""
    if p.monitoring is None:
        return []
    rows: list[tuple[tuple[tuple[int, ...], str], tuple[str, ...]]] = []
    for c in counties:
        w = p.monitoring.get(c.code)
        if w is None:
            continue
        alerts = sorted(w.alerts, key=lambda a: LEVEL_ORDER[a.level])
        counts = [sum(a.level is lv for a in alerts) for lv in LEVELS]
        text = "；".join(f"【{a.level.value}】{a.message}" for a in alerts) or "无预警"
        year = f"{w.year}年" if w.year else "无评估"
        rows.append(((tuple(-n for n in counts), c.code),
                     (c.code, c.name, year, *(str(n) for n in counts), text)))  # fmt: skip
    return [row for _, row in sorted(rows)]


def warning_summary(counties: Sequence[CountyResult], p: Progress) -> str:
    if p.monitoring is None:
        return NO_MONITORING
    watched = [p.monitoring[c.code] for c in counties if c.code in p.monitoring]
    if not watched:
        return "没有已通过国家认定、列入巩固监测的区县。"
    counts = {lv: sum(a.level is lv for w in watched for a in w.alerts) for lv in LEVELS}
    flagged = sum(1 for w in watched if w.alerts)
    parts = "、".join(f"{lv.value}{counts[lv]}条" for lv in LEVELS)
    return f"列入巩固监测的区县{len(watched)}个，其中{flagged}个有预警（{parts}）。"


__all__ = [
    "LEDGER_HEADS",
    "NO_LEDGER",
    "NO_MONITORING",
    "WARNING_HEADS",
    "OpenItem",
    "Progress",
    "Watch",
    "ledger_rows",
    "ledger_summary",
    "warning_rows",
    "warning_summary",
]
