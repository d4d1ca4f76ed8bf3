"""先行创建县推荐表 (the Ministry's 2021 notice): figures from the data, texts from people.

Schools, pupils and full-time teachers count the compulsory stages only (小学 and 初中); the
rural part is the schools the data classes as 乡村 (城乡分类), as the statistics yearbook does.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import xlsxwriter
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

TITLE = "县域义务教育优质均衡发展先行创建县推荐表"


@dataclass(frozen=True, slots=True)
class Counts:
    total: int
    rural: int


@dataclass(frozen=True, slots=True)
class RecommendForm:
    province: str
    county: str
    basic_year: int | None
    schools: Counts
    pupils: Counts
    teachers: Counts
    situation: str = ""
    approach: str = ""
    opinion: str = ""


def _int(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Int64, strict=False).fill_null(0)


def counts(schools: Sequence[Mapping[str, Any]]) -> tuple[Counts, Counts, Counts]:
    """Schools with compulsory pupils, their pupils and full-time teachers; each with rural."""
    if not schools:
        zero = Counts(0, 0)
        return zero, zero, zero
    cols = ("urban_rural", "p_students", "j_students", "p_teachers", "j_teachers")
    frame = pl.DataFrame([{k: s.get(k) for k in cols} for s in schools],
                         schema={"urban_rural": pl.String, **{k: pl.Int64 for k in cols[1:]}})  # fmt: skip
    f = frame.with_columns(
        pupils=_int("p_students") + _int("j_students"),
        teachers=_int("p_teachers") + _int("j_teachers"),
        rural=pl.col("urban_rural") == "乡村",
    ).filter(pl.col("pupils") > 0)
    r = f.select(
        n=pl.len(), n_rural=pl.col("rural").sum(),
        pupils=pl.col("pupils").sum(), pupils_rural=pl.col("pupils").filter(pl.col("rural")).sum(),
        teachers=pl.col("teachers").sum(),
        teachers_rural=pl.col("teachers").filter(pl.col("rural")).sum(),
    ).row(0, named=True)  # fmt: skip
    return (
        Counts(int(r["n"]), int(r["n_rural"] or 0)),
        Counts(int(r["pupils"] or 0), int(r["pupils_rural"] or 0)),
        Counts(int(r["teachers"] or 0), int(r["teachers_rural"] or 0)),
    )


def rows(form: RecommendForm) -> list[tuple[str, str]]:
    """The form's rows as (label, value), in the attachment's order."""
    return [
        ("省份", form.province),
        ("县（市、区）名称", form.county),
        ("通过义务教育基本均衡发展国家认定年份", f"{form.basic_year}年" if form.basic_year else ""),
        ("义务教育学校数（所）", f"{form.schools.total}（其中农村 {form.schools.rural}）"),
        ("义务教育在校生数（人）", f"{form.pupils.total}（其中农村 {form.pupils.rural}）"),
        ("义务教育专任教师数（人）", f"{form.teachers.total}（其中农村 {form.teachers.rural}）"),
        ("义务教育优质均衡发展现状", form.situation),
        ("推进义务教育优质均衡发展的主要做法", form.approach),
        ("省级教育行政部门推荐意见", form.opinion + "\n\n（盖章）\n年　　月　　日"),
    ]


def recommend_docx(form: RecommendForm) -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(12)
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(TITLE)
    run.bold = True
    run.font.size = Pt(16)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows(form):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def recommend_xlsx(form: RecommendForm) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet("推荐表")
    title = book.add_format({"bold": True, "font_size": 16, "align": "center", "font_name": "宋体"})
    label = book.add_format({"border": 1, "bold": True, "text_wrap": True, "valign": "vcenter",
                             "font_name": "宋体"})  # fmt: skip
    value = book.add_format({"border": 1, "text_wrap": True, "valign": "top", "font_name": "宋体"})
    ws.merge_range(0, 0, 0, 1, TITLE, title)
    for i, (lab, val) in enumerate(rows(form), start=1):
        ws.write(i, 0, lab, label)
        ws.write(i, 1, val, value)
        ws.set_row(i, 120 if i >= 7 else 24)
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 70)
    book.close()
    return buf.getvalue()
