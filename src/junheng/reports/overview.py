"""City and province overviews: every county ranked with its verdict and reasons (Word or Excel)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import _Cell
from xlsxwriter.exceptions import XlsxWriterException

from .. import display
from ..errors import JunhengError
from ..results import CountyResult, Evaluation
from ..standard import RESOURCE_KEYS
from .context import STATUS
from .progress import (
    LEDGER_HEADS,
    WARNING_HEADS,
    Progress,
    ledger_rows,
    ledger_summary,
    warning_rows,
    warning_summary,
)
from .sheets import Styles, row_height, setup, title
from .template_build import BODY_FONT, _east_asian, _repeat_header

HEADS = ("排名", "区县代码", "区县名称", "所属地市", "申报资格", "资源配置", "政府保障", "教育质量",
         "社会认可", "一票否决", "结论", "小学最大差异系数", "初中最大差异系数", "未达标原因")  # fmt: skip


RANK_WIDTHS = (0.9, 1.5, 1.8, 1.6, *[1.3] * 5, 1.6, 1.2, 1.4, 1.4, 8.8)
"""Centimetres of the ranking's columns on the landscape page (26.7 cm between margins)."""


@dataclass(frozen=True, slots=True)
class Row:
    rank: int
    county: CountyResult
    cells: tuple[str, ...]


def _max_cv(c: CountyResult, stage: str) -> float | None:
    s = c.resource.stages.get(stage)
    if s is None:
        return None
    values = [v for k in RESOURCE_KEYS if (v := s.cv[k]) is not None]
    return max(values) if values else None


def _failing_parts(c: CountyResult) -> int:
    parts = (c.eligibility.passed, c.resource.passed, c.guarantee.passed, c.quality.passed,
             c.recognition.passed)  # fmt: skip
    return sum(p is False for p in parts) + bool(c.vetoes)


def _veto(c: CountyResult) -> str:
    if c.vetoes:
        return "、".join(c.vetoes)
    return "未填报" if c.vetoes_unreported else "无"


def ranked(ev: Evaluation) -> list[Row]:
    """Recognised counties first, then by fewer failing parts, then by fewer reasons, then code."""
    order = sorted(
        ev.counties, key=lambda c: (not c.recognised, _failing_parts(c), len(c.reasons), c.code)
    )
    rows = []
    for i, c in enumerate(order, start=1):
        cells = (
            str(i), c.code, c.name, c.city or "", c.eligibility.status, STATUS[c.resource.passed],
            STATUS[c.guarantee.passed], STATUS[c.quality.passed], STATUS[c.recognition.passed],
            _veto(c), "通过" if c.recognised else "未通过",
            display.cv(_max_cv(c, "primary")), display.cv(_max_cv(c, "junior")),
            "；".join(c.reasons) or "—",
        )  # fmt: skip
        rows.append(Row(i, c, cells))
    return rows


def _where(ev: Evaluation, title_text: str | None) -> str:
    if title_text:
        return title_text
    cities = {c.city for c in ev.counties if c.city}
    provinces = {c.province for c in ev.counties if c.province}
    if len(cities) == 1:
        return cities.pop()
    if len(provinces) == 1:
        return provinces.pop()
    return "各地"


def summary_line(ev: Evaluation) -> str:
    n = len(ev.counties)
    passed = sum(c.recognised for c in ev.counties)
    share = display.percent(passed / n) if n else display.DASH
    return f"共评估{n}个区县，{passed}个达到县域义务教育优质均衡发展标准，{n - passed}个未达到（通过率{share}）。"


def target_lines(ev: Evaluation, targets: Sequence[tuple[int, float]]) -> list[str]:
    """Progress against the province's targets: share recognised now, counties still needed."""
    n = len(ev.counties)
    passed = sum(c.recognised for c in ev.counties)
    lines = []
    for year, share in sorted(targets):
        need = math.ceil(n * share / 100 - 1e-9) - passed
        state = "已达到" if need <= 0 else f"尚差{need}个区县"
        lines.append(f"创建目标：{year}年认定区县占比{display.fmt(share, 1)}%；"
                     f"目前{passed}/{n}个（{display.percent(passed / n)}），{state}。")  # fmt: skip
    return lines


def attention_lines(ev: Evaluation) -> list[str]:
    """What a reviewer should look at beyond the verdicts: parts not assessed, notes, vetoes unreported."""
    out = []
    for c in ev.counties:
        parts = (("申报资格", c.eligibility.passed), ("资源配置", c.resource.passed),
                 ("政府保障程度", c.guarantee.passed), ("教育质量", c.quality.passed),
                 ("社会认可度", c.recognition.passed))  # fmt: skip
        unassessed = [name for name, passed in parts if passed is None]
        items = []
        if unassessed:
            items.append("未评估：" + "、".join(unassessed))
        if c.vetoes_unreported:
            items.append("一票否决事项未填报：" + "、".join(c.vetoes_unreported))
        items += c.notes
        if items:
            out.append(f"{c.name}（{c.code}）：" + "；".join(items))
    return out


def _docx_table(doc: Any, heads: Sequence[str], rows: Sequence[Sequence[str]],
                widths: Sequence[float] = ()) -> None:  # fmt: skip
    table = doc.add_table(rows=1 + len(rows), cols=len(heads))
    table.style = "Table Grid"
    if widths:  # centimetres; LibreOffice reads the grid, Word the cells: set both
        table.autofit = False
        for col, w in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
            col.w = Cm(w)
        for tr in table._tbl.tr_lst:
            for tc, w in zip(tr.tc_lst, widths, strict=True):
                tc.width = Cm(w)
    # row.cells resolves merged spans with xpath per cell (quadratic); this grid has none
    for tr, texts in zip(table._tbl.tr_lst, [heads, *rows], strict=True):
        for tc, text in zip(tr.tc_lst, texts, strict=True):
            run = _Cell(tc, table).paragraphs[0].add_run(text)
            run.font.size = Pt(8)
    _repeat_header(table)


def _docx_progress(doc: Any, ev: Evaluation, progress: Progress) -> None:
    """整改台账 and 巩固监测 sections: a summary line, then a table where there is anything to list."""
    # the landscape page holds 26.7 cm between its margins; the item texts take the rest
    sections = (("整改台账未销号事项", ledger_summary, ledger_rows, LEDGER_HEADS,
                 (1.8, 2.4, 1.8, 1.8, 18.9)),
                ("巩固监测预警", warning_summary, warning_rows, WARNING_HEADS,
                 (1.8, 2.4, 1.8, 1.2, 1.2, 1.2, 17.1)))  # fmt: skip
    for heading, summary, rows_of, heads, widths in sections:
        doc.add_heading(heading, level=1)
        doc.add_paragraph(summary(ev.counties, progress))
        rows = rows_of(ev.counties, progress)
        if rows:
            _docx_table(doc, heads, rows, widths)


def _write_docx(
    ev: Evaluation,
    path: Path,
    where: str,
    targets: Sequence[tuple[int, float]],
    progress: Progress,
) -> None:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(1.5)
    _east_asian(doc.styles["Normal"], BODY_FONT)
    doc.styles["Normal"].font.size = Pt(10.5)
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(f"{where}县域义务教育优质均衡发展评估汇总报告")
    run.bold, run.font.size = True, Pt(18)
    doc.add_paragraph(f"评估标准：{ev.standard.title}。{summary_line(ev)}")
    for line in target_lines(ev, targets):
        doc.add_paragraph(line)
    rows = ranked(ev)
    _docx_table(doc, HEADS, [r.cells for r in rows], RANK_WIDTHS)
    _docx_progress(doc, ev, progress)
    attention = attention_lines(ev)
    if attention:
        doc.add_heading("需要关注的情况", level=1)
        for line in attention:
            doc.add_paragraph(line)
    failing = [r for r in rows if not r.county.recognised]
    if failing:
        doc.add_heading("未通过区县的原因", level=1)
        heading, bullet = doc.styles["Heading 2"].style_id, doc.styles["List Bullet"].style_id
        for r in failing:
            doc.add_paragraph(f"{r.county.name}（{r.county.code}）")._p.style = heading
            for reason in r.county.reasons:
                # style ids looked up once: python-docx resolves a style name by scanning them all
                doc.add_paragraph(reason)._p.style = bullet
    doc.save(str(path))


def _xlsx_progress(book: Any, st: Styles, ev: Evaluation, progress: Progress) -> None:
    sheets = (("整改台账", ledger_summary, ledger_rows, LEDGER_HEADS, [10, 12, 10, 10, 90]),
              ("巩固监测", warning_summary, warning_rows, WARNING_HEADS,
               [10, 12, 9, 6, 6, 6, 90]))  # fmt: skip
    for name, summary, rows_of, heads, widths in sheets:
        ws = book.add_worksheet(name)
        setup(ws, widths, 3)
        last = len(heads) - 1
        title(ws, f"{name}（{len(ev.counties)}个区县）", last, st)
        line = summary(ev.counties, progress)
        ws.merge_range(1, 0, 1, last, line, st.note)
        ws.write_row(2, 0, heads, st.head)
        for i, row in enumerate(rows_of(ev.counties, progress), start=3):
            for j, text in enumerate(row):
                if text.isdigit() and 1 < j < last:
                    ws.write_number(i, j, int(text), st.code_num)
                else:
                    ws.write_string(i, j, text, st.text if j == last else st.centre)
            ws.set_row(i, row_height([(row[-1], widths[-1])]))


def _write_xlsx(
    ev: Evaluation,
    path: Path,
    where: str,
    targets: Sequence[tuple[int, float]],
    progress: Progress,
) -> None:
    widths = [5, 9, 12, 10, 8, 8, 8, 8, 8, 10, 7, 9, 9, 70]
    with xlsxwriter.Workbook(str(path)) as book:
        st = Styles(book)
        ws = book.add_worksheet("区县排名")
        setup(ws, widths, 3)
        title(ws, f"{where}县域义务教育优质均衡发展评估汇总", len(HEADS) - 1, st)
        head = "".join([summary_line(ev), *target_lines(ev, targets)])
        ws.merge_range(1, 0, 1, len(HEADS) - 1, head, st.note)
        ws.set_row(1, row_height([(head, sum(widths))]))
        ws.write_row(2, 0, HEADS, st.head)
        ws.set_row(2, 30)
        for i, r in enumerate(ranked(ev), start=3):
            for j, text in enumerate(r.cells):
                style = (
                    st.bad_centre
                    if text in ("未通过", "未达标")
                    else (st.text if j == 13 else st.centre)
                )
                ws.write_string(i, j, text, style)
            ws.set_row(i, row_height([(r.cells[13], widths[13])]))
        ws.autofilter(2, 0, 2 + len(ev.counties), len(HEADS) - 1)
        notes = book.add_worksheet("需要关注")
        setup(notes, [120], 1)
        notes.write_string(0, 0, "需要关注的情况", st.title)
        for i, line in enumerate(attention_lines(ev) or ["无"], start=1):
            notes.write_string(i, 0, line, st.text)
            notes.set_row(i, row_height([(line, 120)]))
        _xlsx_progress(book, st, ev, progress)


def write_overview(ev: Evaluation, path: str | Path, title_text: str | None = None,
                   targets: Sequence[tuple[int, float]] = (),
                   progress: Progress | None = None) -> Path:  # fmt: skip
    """Write the overview of every county in *ev* as .docx or .xlsx (by *path*'s suffix).

    *progress* carries the open ledger items and monitoring warnings where the source has them
    (the web database); without it those sections say there is no such data."""
    progress = progress or Progress()
    path = Path(path)
    if not ev.counties:
        raise JunhengError("数据中没有区县，无法生成汇总报告。")
    where = _where(ev, title_text)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix.lower() == ".xlsx":
            _write_xlsx(ev, path, where, targets, progress)
        elif path.suffix.lower() == ".docx":
            _write_docx(ev, path, where, targets, progress)
        else:
            raise JunhengError(f"汇总报告只能写成 .docx 或 .xlsx，不是 {path.name}。")
    except (OSError, XlsxWriterException) as exc:
        raise JunhengError(f"无法写入汇总报告 {path}：{exc}") from exc
    return path


__all__ = ["HEADS", "attention_lines", "ranked", "summary_line", "target_lines", "write_overview"]
