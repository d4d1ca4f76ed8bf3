"""Writing the contract workbook: the empty template, or one filled with records.

Units and notes sit in header comments and in a 填报说明 sheet, not in the header
text, so the headers stay exactly as the contract fixes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from .contract import COUNTY_SHEET, SCHOOL_COLUMNS, SCHOOL_SHEET, Column, Kind
from .reader import county_columns
from .standard import Standard

TEMPLATE_ROWS = 3000
"""Rows given drop-down lists and number checks in the empty template."""

Record = Mapping[str, Any]


def _describe(col: Column) -> str:
    bits = [f"单位：{col.unit}" if col.unit else ""]
    if col.choices:
        bits.append("可选：" + "、".join(col.choices))
    if col.note:
        bits.append(col.note)
    bits.append("必填列" if col.required else "选填，空白表示未填报")
    return "；".join(b for b in bits if b)


def _sheet(book: Any, name: str, columns: Sequence[Column], rows: Sequence[Record],
           validate_rows: int) -> None:  # fmt: skip
    ws = book.add_worksheet(name)
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                            "valign": "vcenter", "align": "center"})  # fmt: skip
    opt = book.add_format({"bg_color": "#F2F2F2", "border": 1, "text_wrap": True,
                           "valign": "vcenter", "align": "center"})  # fmt: skip
    text = book.add_format({"num_format": "@"})
    ws.set_row(0, 36)
    ws.freeze_panes(1, 2)
    last = max(validate_rows, len(rows))
    for j, col in enumerate(columns):
        ws.write_string(0, j, col.header, head if col.required else opt)
        ws.write_comment(0, j, _describe(col), {"x_scale": 2, "y_scale": 1.2})
        ws.set_column(j, j, max(10, min(28, len(col.header) * 2)),
                      text if col.kind is Kind.TEXT else None)  # fmt: skip
        if last:
            if col.choices:
                ws.data_validation(1, j, last, j, {"validate": "list", "source": list(col.choices),
                                                   "error_message": _describe(col)})  # fmt: skip
            elif col.kind in (Kind.INT, Kind.NUMBER):
                ws.data_validation(1, j, last, j, {
                    "validate": "integer" if col.kind is Kind.INT else "decimal",
                    "criteria": ">=", "value": 0,
                    "error_title": "请输入非负数", "error_message": f"“{col.header}”{_describe(col)}",
                })  # fmt: skip
    for i, rec in enumerate(rows, start=1):
        for j, col in enumerate(columns):
            v = rec.get(col.key)
            if v is None:
                continue
            if isinstance(v, bool):
                ws.write_string(i, j, "是" if v else "否")
            elif isinstance(v, int | float):
                ws.write_number(i, j, v)
            else:
                ws.write_string(i, j, str(v))


def _guide(book: Any, standard: Standard | None) -> None:
    ws = book.add_worksheet("填报说明")
    bold = book.add_format({"bold": True})
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 34)
    ws.set_column(2, 2, 80)
    ws.write_row(0, 0, ["工作表", "列名", "说明"], bold)
    r = 1
    for sheet, cols in ((SCHOOL_SHEET, SCHOOL_COLUMNS), (COUNTY_SHEET, county_columns(standard))):
        for col in cols:
            ws.write_row(r, 0, [sheet, col.header, _describe(col)])
            r += 1
    notes = [
        "“学校”表每所学校一行；“区县”表每个区县一行，不填则只评估资源配置。",
        "九年一贯制、十二年一贯制学校和完全中学按学段分别填写学生数、班级数和教师数；"
        "校舍面积、仪器设备和多媒体教室填全校数，由系统按 小学1 : 初中1.1 : 高中1.32 的加权学生数分摊。",
        "空白单元格表示“未填报”，不按0处理；“室内体育用房面积”空白按0。",
    ]
    for n in notes:
        r += 1
        ws.write(r, 0, n)


def write_workbook(path: str | Path, schools: Sequence[Record] = (),
                   counties: Sequence[Record] | None = (), standard: Standard | None = None,
                   validate_rows: int = TEMPLATE_ROWS) -> Path:  # fmt: skip
    """Write the contract workbook; with no records it is the empty template."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with xlsxwriter.Workbook(str(path)) as book:
        _sheet(book, SCHOOL_SHEET, SCHOOL_COLUMNS, schools, validate_rows)
        if counties is not None:
            _sheet(book, COUNTY_SHEET, county_columns(standard), counties, validate_rows)
        _guide(book, standard)
    return path
