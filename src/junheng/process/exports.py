"""Excel exports of the creation process: the 创建规划表 in the layout of the Shandong plan's
attachment (city rows × years, county names per cell, totals and cumulative share) and the
整改台账 (序号、问题、整改措施、责任单位、完成时限、整改进度、销号情况)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import xlsxwriter

from ..display import percent
from .plan import PlanTable


def _formats(book: Any) -> dict[str, Any]:
    base = {
        "font_name": "宋体",
        "font_size": 11,
        "border": 1,
        "valign": "vcenter",
        "text_wrap": True,
    }
    return {
        "title": book.add_format({"font_name": "方正小标宋简体", "font_size": 16, "bold": True,
                                  "align": "center", "valign": "vcenter"}),
        "head": book.add_format({**base, "bold": True, "align": "center"}),
        "cell": book.add_format({**base, "align": "center"}),
        "left": book.add_format({**base, "align": "left"}),
        "note": book.add_format({"font_name": "宋体", "font_size": 10}),
    }  # fmt: skip


def plan_xlsx(table: PlanTable, title: str, *, targets: dict[int, int] | None = None) -> bytes:
    """The plan table as one sheet; *targets* adds the target count per year as a row."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    f = _formats(book)
    ws = book.add_worksheet("创建规划表")
    years = table.years
    last = 2 + len(years) + 1  # 序号, 市, years…, 未定年度, 合计
    ws.merge_range(0, 0, 0, last, title, f["title"])
    ws.set_row(0, 36)
    ws.merge_range(1, 0, 2, 0, "序号", f["head"])
    ws.merge_range(1, 1, 2, 1, "市", f["head"])
    ws.merge_range(1, 2, 1, 1 + len(years), "计划通过国家认定年度及区县名称", f["head"])
    for j, y in enumerate(years):
        ws.write(2, 2 + j, f"{y}年", f["head"])
    ws.merge_range(1, 2 + len(years), 2, 2 + len(years), "未定年度", f["head"])
    ws.merge_range(1, last, 2, last, "区县数", f["head"])
    r = 3
    for i, row in enumerate(table.rows, start=1):
        ws.write(r, 0, i, f["cell"])
        ws.write(r, 1, row.city, f["cell"])
        for j, y in enumerate(years):
            ws.write(r, 2 + j, "\n".join(row.cells[y]), f["cell"])
        ws.write(r, 2 + len(years), "\n".join(row.unplanned), f["cell"])
        ws.write(r, last, row.total, f["cell"])
        lines = max([len(v) for v in row.cells.values()] + [len(row.unplanned), 1])
        ws.set_row(r, max(20, 16 * lines))
        r += 1
    rows: list[tuple[str, list[Any]]] = [
        ("当年计划数", [table.per_year[y] for y in years]),
        ("累计数", [table.cumulative[y] for y in years]),
        ("累计占比", [percent(table.share[y]) for y in years]),
    ]
    if targets is not None:
        rows.append(("省定目标数", [targets.get(y, 0) for y in years]))
    for label, values in rows:
        ws.merge_range(r, 0, r, 1, label, f["head"])
        for j, v in enumerate(values):
            ws.write(r, 2 + j, v, f["cell"])
        ws.write(r, 2 + len(years), "", f["cell"])
        ws.write(r, last, table.counties if label == "累计数" else "", f["cell"])
        r += 1
    ws.write(r + 1, 0, "注：累计占比为累计计划通过认定的区县数占全部区县数的比例。", f["note"])
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 1 + len(years), 11)
    ws.set_column(2 + len(years), last, 10)
    ws.freeze_panes(3, 2)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    book.close()
    return buf.getvalue()


@dataclass(frozen=True, slots=True)
class LedgerRow:
    problem: str
    measure: str
    unit: str
    deadline: date | None
    progress: str
    closing: str


LEDGER_HEADS = ("序号", "问题", "整改措施", "责任单位", "完成时限", "整改进度", "销号情况")


def ledger_xlsx(rows: Iterable[LedgerRow], title: str) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    f = _formats(book)
    ws = book.add_worksheet("整改台账")
    ws.merge_range(0, 0, 0, len(LEDGER_HEADS) - 1, title, f["title"])
    ws.set_row(0, 36)
    for j, h in enumerate(LEDGER_HEADS):
        ws.write(1, j, h, f["head"])
    r = 2
    for i, row in enumerate(rows, start=1):
        deadline = (
            f"{row.deadline.year}年{row.deadline.month}月{row.deadline.day}日"
            if row.deadline
            else ""
        )
        values = [i, row.problem, row.measure, row.unit, deadline, row.progress, row.closing]
        for j, v in enumerate(values):
            ws.write(r, j, v, f["cell"] if j in (0, 4, 6) else f["left"])
        r += 1
    for j, width in enumerate((6, 48, 36, 18, 14, 16, 26)):
        ws.set_column(j, j, width)
    ws.freeze_panes(2, 0)
    ws.repeat_rows(1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    book.close()
    return buf.getvalue()
