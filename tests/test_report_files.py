"""PDF, the per-county declaration workbook (表Ⅰ–表Ⅵ) and the city/province overview, read back."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import county_row, junior_school, primary_school
from junheng.cli import app
from junheng.workbook import write_workbook

runner = CliRunner()
no_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)


def _schools(county: str = "370830", name: str = "汶上县") -> list[dict[str, object]]:
    where = {"county_code": county, "county_name": name}
    p = f"1{county}"
    return [primary_school(1, code=f"{p}001", **where),
            primary_school(2, 800, code=f"{p}002", **where),
            primary_school(3, 500, urban_rural="乡村", p_qualified=10, code=f"{p}003", **where),
            junior_school(code=f"{p}101", **where)]  # fmt: skip


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("wb") / "县.xlsx", _schools(), [county_row()])


@pytest.fixture(scope="module")
def two_counties(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # 汶上县 fails on 第3小学; 嘉祥县 has only schools meeting every indicator
    good = [primary_school(1, code="1370829001", county_code="370829", county_name="嘉祥县"),
            junior_school(code="1370829101", county_code="370829", county_name="嘉祥县")]  # fmt: skip
    counties = [county_row(), county_row(county_code="370829", county_name="嘉祥县")]
    return write_workbook(tmp_path_factory.mktemp("two") / "市.xlsx", _schools() + good, counties)


@no_soffice
def test_pdf_names_the_county_and_verdict_with_fonts_embedded(tmp_path, book):
    out = tmp_path / "报告.pdf"
    r = runner.invoke(app, ["report", str(book), "-c", "370830", "--format", "pdf", "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "汶上县" in text
    assert "未达到县域义务教育优质均衡发展标准" in text
    assert "0.285" in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts  # every font embedded
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(out), str(tmp_path / "pg")], check=True)
    assert len(list(tmp_path.glob("pg-*.png"))) >= 5
    # A4 portrait pages, and landscape ones for 表Ⅱ-2 and the gaps (595 × 842 pt, turned)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(out)], capture_output=True,
                          text=True).stdout  # fmt: skip
    sizes = re.findall(r"Page +(\d+) size: +([\d.]+) x ([\d.]+)", info)
    turned = [int(n) for n, w, h in sizes if float(w) > float(h)]
    assert turned and len(turned) < len(sizes)
    landscape_text = subprocess.run(["pdftotext", "-f", str(turned[0]), "-l", str(turned[-1]),
                                     str(out), "-"], capture_output=True, text=True).stdout  # fmt: skip
    assert "表Ⅱ-2" in landscape_text and "未达标指标及差距" in landscape_text


def test_pdf_without_libreoffice_says_what_to_install(tmp_path, book, monkeypatch):
    from junheng.reports import pdf

    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    out = tmp_path / "x.pdf"
    r = runner.invoke(app, ["report", str(book), "-c", "370830", "--pdf", "-o", str(out)])
    assert r.exit_code == 2
    assert "未找到 LibreOffice" in r.output and "libreoffice-writer-nogui" in r.output
    assert not out.exists()


def test_declaration_workbook_has_table_1_to_6_for_one_county(tmp_path, two_counties):
    out = tmp_path / "申报表.xlsx"
    r = runner.invoke(
        app, ["report", str(two_counties), "-c", "汶上县", "-f", "xlsx", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["表Ⅰ", "表Ⅱ-1", "表Ⅱ-2", "表Ⅲ", "表Ⅳ", "表Ⅴ", "表Ⅵ", "差距明细"]
    ws = wb["表Ⅰ"]
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A3:D3", "E3:H3", "I3:M3", "U3:X3", "U4:V4", "W4:X4"} <= merged
    assert (ws["A3"].value, ws["I3"].value, ws["U5"].value) == (
        "自然情况",
        "普通中小学校数（所）",
        "合计",
    )
    assert [ws.cell(6, c).value for c in (1, 9, 24)] == ["L1", "L9", "L24"]
    whole = [ws.cell(7, c).value for c in range(1, 25)]
    # population 70; 3 小学, 1 初中; classes 57/22; pupils 2300/1000; teachers 138/80
    assert whole[0] == 70
    assert whole[8:16] == [3, 0, 1, 0, 0, 0, 0, 0]
    assert whole[16:20] == [57, 22, 2300, 1000]
    assert (whole[21], whole[23]) == (138, 80)
    rural = [ws.cell(8, c).value for c in range(9, 25)]
    assert ws["A8"].value == "其中：乡村学校"
    assert rural[0] == 1 and rural[10] == 500 and rural[13] == 30
    # 表Ⅲ holds only this county: the primary mean of 高学历教师 4.35, CV 0.285
    t3 = wb["表Ⅲ"]
    assert "汶上县" in t3["A1"].value
    assert (t3["C4"].value, t3["C5"].value) == (4.35, 0.285)
    gaps = [row[2] for row in wb["差距明细"].iter_rows(min_row=3, values_only=True)]
    assert gaps == ["第3小学"]


def test_overview_ranks_passing_counties_first_in_word_and_excel(tmp_path, two_counties):
    xlsx, word = tmp_path / "汇总.xlsx", tmp_path / "汇总.docx"
    for out in (xlsx, word):
        r = runner.invoke(
            app, ["overview", str(two_counties), "-o", str(out), "--target", "2027:80"]
        )
        assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(xlsx)["区县排名"]
    assert ws["A1"].value == "济宁市县域义务教育优质均衡发展评估汇总"
    assert ws["A2"].value.startswith(
        "共评估2个区县，1个达到县域义务教育优质均衡发展标准，1个未达到（通过率50.0%）。"
    )
    first = [c.value for c in ws[4]]
    second = [c.value for c in ws[5]]
    assert first[:3] == ["1", "370829", "嘉祥县"] and first[10] == "通过" and first[13] == "—"
    assert second[:3] == ["2", "370830", "汶上县"] and second[10] == "未通过"
    assert second[5] == "未达标" and second[11] == "0.285"  # the largest primary CV
    assert "第3小学" in second[13]
    d = docx.Document(str(word))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "济宁市县域义务教育优质均衡发展评估汇总报告" in text
    assert "通过率50.0%" in text and "汶上县（370830）" in text
    # 80% of 2 counties is 1.6, so 2 must be recognised and one more is needed
    assert "创建目标：2027年认定区县占比80.0%；目前1/2个（50.0%），尚差1个区县。" in text
    assert "尚差1个区县" in ws["A2"].value
    rows = [[c.text for c in row.cells] for row in d.tables[0].rows]
    assert [r[2] for r in rows[1:]] == ["嘉祥县", "汶上县"]


def test_overview_of_a_wrong_format_or_missing_file_is_a_chinese_error(tmp_path, two_counties):
    r = runner.invoke(app, ["overview", str(two_counties), "-f", "pdf"])
    assert r.exit_code == 2 and "只能是 docx 或 xlsx" in r.output
    r = runner.invoke(app, ["overview", str(tmp_path / "无.xlsx")])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_overview_flags_counties_whose_parts_were_not_assessed():
    from conftest import run
    from junheng.reports.overview import attention_lines

    ev = run(_schools())  # no 区县 row: only the resource part can be assessed
    [line] = attention_lines(ev)
    assert line.startswith("汶上县（370830）：未评估：申报资格、政府保障程度、教育质量、社会认可度")


def test_bad_overview_target_is_refused(two_counties):
    for bad in ("2027", "2027:120", "明年:30"):
        r = runner.invoke(app, ["overview", str(two_counties), "--target", bad])
        assert r.exit_code == 2 and "--target" in r.output, bad
