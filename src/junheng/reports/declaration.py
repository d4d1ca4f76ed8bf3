"""One county's declaration workbook: 表Ⅰ (basic facts) and 表Ⅱ-1 … 表Ⅵ with the form's headers."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from ..errors import JunhengError
from ..results import Evaluation
from .basic import TYPE_COUNTS, BasicFacts, Counts
from .sheets import Sheet, Styles, codes, footnote, gap_sheet, number, setup, title
from .tables import GAP_SHEET, TABLES
from .word import find_county

_WIDTHS = [9, 9, 7, 8, 11, 11, 11, 12, 6, 8, 6, 7, 9, 9, 6, 9, 6, 6, 8, 8, 6, 9, 6, 9]
_NATURE = ("人口总数（万人）", "农业人口数（万人）", "乡镇数（个）", "行政村数（个）")
_ECONOMY = ("年人均国内生产总值（元）", "年人均地方财政收入（元）", "农民年人均纯收入（元）",
            "城镇居民年人均可支配收入（元）")  # fmt: skip
_TYPES = ("小学", "九年一贯制学校", "初中", "完全中学", "十二年一贯制学校")


def _heads(ws: Sheet, st: Styles) -> None:
    r = 2
    ws.merge_range(r, 0, r, 3, "自然情况", st.head)
    ws.merge_range(r, 4, r, 7, "经济情况", st.head)
    ws.merge_range(r, 8, r, 12, "普通中小学校数（所）", st.head)
    ws.merge_range(r, 13, r + 2, 13, "特殊教育学校（所）", st.head)
    ws.merge_range(r, 14, r, 15, "小学教学点数（个）", st.head)
    ws.merge_range(r, 16, r, 17, "教学班数（个）", st.head)
    ws.merge_range(r, 18, r, 19, "在校学生数（人）", st.head)
    ws.merge_range(r, 20, r, 23, "教职工数（人）", st.head)
    for j, text in enumerate((*_NATURE, *_ECONOMY, *_TYPES)):
        ws.merge_range(r + 1, j, r + 2, j, text, st.head)
    ws.merge_range(r + 1, 14, r + 2, 14, "计", st.head)
    ws.merge_range(r + 1, 15, r + 2, 15, "其中：50人及以上", st.head)
    for j, text in ((16, "小学"), (17, "初中"), (18, "小学"), (19, "初中")):
        ws.merge_range(r + 1, j, r + 2, j, text, st.head)
    ws.merge_range(r + 1, 20, r + 1, 21, "小学", st.head)
    ws.merge_range(r + 1, 22, r + 1, 23, "初中", st.head)
    for j, text in ((20, "合计"), (21, "其中专任教师"), (22, "合计"), (23, "其中专任教师")):
        ws.write_string(r + 2, j, text, st.head)
    ws.set_row(r + 1, 48)
    ws.set_row(r + 2, 48)
    codes(ws, r + 3, 0, 24, st)


def _counts(ws: Sheet, row: int, n: Counts, st: Styles) -> None:
    values: list[int | None] = [
        *(n.schools[t] for t in TYPE_COUNTS),
        n.teaching_points, n.teaching_points_large,
        n.totals["p_classes"], n.totals["j_classes"], n.totals["p_students"], n.totals["j_students"],
        None, n.totals["p_teachers"], None, n.totals["j_teachers"],
    ]  # fmt: skip
    for j, v in enumerate(values, start=8):
        number(ws, row, j, v, "0", st)


def table_1(ws: Sheet, b: BasicFacts, st: Styles) -> None:
    """表Ⅰ in the form's layout; a second row gives the rural (乡村) part of the school columns."""
    setup(ws, _WIDTHS, 6)
    title(ws, f"表Ⅰ  义务教育优质均衡发展县（市、区）基本情况（{b.name}）", 23, st)
    ws.merge_range(1, 0, 1, 23, f"填报单位：{b.name}（{b.code}）", st.note)
    _heads(ws, st)
    number(ws, 6, 0, b.population, "0.00", st)
    for j in range(1, 8):
        number(ws, 6, j, None, "0", st)
    _counts(ws, 6, b.whole, st)
    ws.merge_range(7, 0, 7, 7, "其中：乡村学校", st.centre)
    _counts(ws, 7, b.rural, st)
    footnote(ws, 8, 23, (
        "注：“人口总数”和“农业人口数”按常住人口统计，数字保留两位小数。L5-L8 列数字保留整数。"
        "第二行为城乡分类为“乡村”的学校。填报数据未采集农业人口、乡镇数、行政村数、经济情况和教职工合计，"
        "相应单元格留空待填；教职工数中的专任教师为小学、初中专任教师数（一贯制学校按学段分别计）。"
    ), _WIDTHS, st)  # fmt: skip


def write_declaration(ev: Evaluation, facts: dict[str, BasicFacts], county: str,
                      path: str | Path) -> Path:  # fmt: skip
    """Write county *county*'s 表Ⅰ–表Ⅵ and its 差距明细 to *path*."""
    c = find_county(ev, county)
    one = Evaluation(ev.standard, [c], ev.source)
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with xlsxwriter.Workbook(str(path)) as book:
            st = Styles(book)
            if c.code in facts:
                table_1(book.add_worksheet("表Ⅰ"), facts[c.code], st)
            for name, write in TABLES:
                write(book.add_worksheet(name), c, ev.standard, st)
            gap_sheet(book.add_worksheet(GAP_SHEET), one, st)
    except (OSError, XlsxWriterException) as exc:
        raise JunhengError(f"无法写入申报表 {path}：{exc}") from exc
    return path


__all__ = ["table_1", "write_declaration"]
