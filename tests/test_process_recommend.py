"""先行创建县推荐表: counts with their rural part, and the Word and Excel files."""

from __future__ import annotations

import io

import openpyxl
from docx import Document

from junheng.process.recommend import (
    Counts,
    RecommendForm,
    counts,
    recommend_docx,
    recommend_xlsx,
)

SCHOOLS = [
    {"urban_rural": "城区", "p_students": 1200, "j_students": None, "p_teachers": 70, "j_teachers": None},
    {"urban_rural": "乡村", "p_students": 300, "j_students": None, "p_teachers": 25, "j_teachers": None},
    {"urban_rural": "乡村", "p_students": 200, "j_students": 400, "p_teachers": 15, "j_teachers": 40},
    {"urban_rural": "镇区", "p_students": None, "j_students": 900, "p_teachers": None, "j_teachers": 80},
    # a school with no compulsory pupils (e.g. closed this year) is not counted
    {"urban_rural": "乡村", "p_students": 0, "j_students": None, "p_teachers": 3, "j_teachers": None},
]  # fmt: skip


def test_recommend_counts_compulsory_schools_with_rural_part() -> None:
    schools, pupils, teachers = counts(SCHOOLS)
    assert schools == Counts(4, 2)
    assert pupils == Counts(1200 + 300 + 600 + 900, 300 + 600)
    assert teachers == Counts(70 + 25 + 55 + 80, 25 + 55)


def test_recommend_counts_of_no_schools_are_zero() -> None:
    assert counts([]) == (Counts(0, 0), Counts(0, 0), Counts(0, 0))


def _form() -> RecommendForm:
    s, p, t = counts(SCHOOLS)
    return RecommendForm("山东省", "汶上县", 2015, s, p, t, situation="差异系数均低于0.40",
                         approach="集团化办学", opinion="同意推荐")  # fmt: skip


def test_recommend_word_form_rows() -> None:
    doc = Document(io.BytesIO(recommend_docx(_form())))
    assert doc.paragraphs[0].text == "县域义务教育优质均衡发展先行创建县推荐表"
    cells = [(r.cells[0].text, r.cells[1].text) for r in doc.tables[0].rows]
    assert cells[1] == ("县（市、区）名称", "汶上县")
    assert cells[2] == ("通过义务教育基本均衡发展国家认定年份", "2015年")
    assert cells[3] == ("义务教育学校数（所）", "4（其中农村 2）")
    assert cells[4] == ("义务教育在校生数（人）", "3000（其中农村 900）")
    assert cells[5] == ("义务教育专任教师数（人）", "230（其中农村 80）")
    assert cells[7] == ("推进义务教育优质均衡发展的主要做法", "集团化办学")
    assert cells[8][1].startswith("同意推荐")


def test_recommend_excel_form_rows() -> None:
    ws = openpyxl.load_workbook(io.BytesIO(recommend_xlsx(_form()))).active
    assert ws is not None
    assert ws["A1"].value == "县域义务教育优质均衡发展先行创建县推荐表"
    assert (ws["A2"].value, ws["B2"].value) == ("省份", "山东省")
    assert ws["B6"].value == "3000（其中农村 900）"
    assert ws["B8"].value == "差异系数均低于0.40"
