"""The work plan (实施方案) as a workbook: its phases, its tasks (overdue marked), its targets."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

import xlsxwriter

from .exports import _formats


@dataclass(frozen=True, slots=True)
class TaskLine:
    phase: str
    title: str
    unit: str
    deadline: date
    progress: int
    status: str
    overdue_days: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class TargetLine:
    label: str
    source: str
    goal: str  # e.g. "≥10%"
    years: list[tuple[int, str, str, bool | None]]  # year, printed figure, source, met


@dataclass(frozen=True, slots=True)
class PlanSheet:
    title: str
    period: str
    phases: list[tuple[str, date, date]]
    tasks: list[TaskLine]
    targets: list[TargetLine] = field(default_factory=list)
    today: date | None = None


def _verdict(met: bool | None) -> str:
    return "—" if met is None else "达到" if met else "未达到"


def workplan_xlsx(sheet: PlanSheet) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    f = _formats(book)
    late = book.add_format({"font_name": "宋体", "font_size": 11, "border": 1, "text_wrap": True,
                            "valign": "vcenter", "bg_color": "#FDE68A", "bold": True})  # fmt: skip
    ws = book.add_worksheet("实施方案")
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # all columns on the page width, as many pages down as needed
    heads = (
        "序号",
        "阶段",
        "任务",
        "责任单位",
        "完成时限",
        "完成进度",
        "状态",
        "逾期情况",
        "进展情况",
    )
    widths = (6, 12, 44, 22, 12, 10, 10, 14, 30)
    ws.merge_range(0, 0, 0, len(heads) - 1, sheet.title, f["title"])
    ws.set_row(0, 36)
    stamp = f"（{sheet.today:%Y-%m-%d}）" if sheet.today else ""
    ws.merge_range(1, 0, 1, len(heads) - 1, f"实施期限：{sheet.period}；逾期情况截至导出日{stamp}",
                   f["note"])  # fmt: skip
    r = 2
    ws.merge_range(r, 0, r, len(heads) - 1, "一、实施阶段", f["head"])
    for i, (name, start, end) in enumerate(sheet.phases, start=1):
        r += 1
        ws.write(r, 0, i, f["cell"])
        ws.write(r, 1, name, f["cell"])
        ws.merge_range(r, 2, r, len(heads) - 1, f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}", f["left"])
    r += 2
    ws.merge_range(r, 0, r, len(heads) - 1, "二、重点任务", f["head"])
    r += 1
    for j, (h, w) in enumerate(zip(heads, widths, strict=True)):
        ws.write(r, j, h, f["head"])
        ws.set_column(j, j, w)
    for i, t in enumerate(sheet.tasks, start=1):
        r += 1
        cell = late if t.overdue_days else f["left"]
        values = (i, t.phase, t.title, t.unit, f"{t.deadline:%Y-%m-%d}", f"{t.progress}%", t.status,
                  f"已逾期{t.overdue_days}天" if t.overdue_days else "", t.note)  # fmt: skip
        for j, v in enumerate(values):
            ws.write(r, j, v, cell)
    if sheet.targets:
        years = sorted({y for t in sheet.targets for y, *_ in t.years})
        r += 2
        ws.merge_range(r, 0, r, len(heads) - 1, "三、本地目标", f["head"])
        r += 1
        for j, h in enumerate(("序号", "目标", "目标值", "数据来源", *(f"{y}年" for y in years))):
            ws.write(r, j, h, f["head"])
        for i, tl in enumerate(sheet.targets, start=1):
            r += 1
            by_year = {y: (text, src, met) for y, text, src, met in tl.years}
            ws.write(r, 0, i, f["cell"])
            ws.write(r, 1, tl.label, f["left"])
            ws.write(r, 2, tl.goal, f["cell"])
            ws.write(r, 3, tl.source, f["left"])
            for j, y in enumerate(years):
                text, src, met = by_year.get(y, ("—", "", None))
                ws.write(r, 4 + j, f"{text}（{src}）{_verdict(met)}" if src else "—", f["cell"])
    book.close()
    return buf.getvalue()
