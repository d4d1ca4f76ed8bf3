"""The Word self-evaluation report: read back with python-docx, figures checked by hand.

The county: 第1小学 1000 pupils (50 qualified teachers), 第2小学 800 (40), 第3小学 500 rural
(10, i.e. 2.0 per 100 pupils, below the 85% floor of 4.2), 第101中学 1000 pupils.
Primary 高学历教师 mean = 100·(50+40+10)/2300 = 4.3478 → 4.35; weighted CV over 5, 5, 2 with
weights 1000, 800, 500 = 1.23741 / 4.34783 = 0.2846 → 0.285. 第3小学 lacks 4.2·5 − 10 = 11
teachers to the standard.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from conftest import county_row, junior_school, primary_school
from junheng.cli import app
from junheng.reports.template_build import TEMPLATE
from junheng.workbook import write_workbook

runner = CliRunner()


def _schools() -> list[dict[str, object]]:
    return [primary_school(1), primary_school(2, 800),
            primary_school(3, 500, urban_rural="乡村", p_qualified=10), junior_school()]  # fmt: skip


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("wb") / "县.xlsx", _schools(), [county_row()])


@pytest.fixture(scope="module")
def report(book: Path) -> docx.document.Document:
    out = book.with_name("自评报告.docx")
    r = runner.invoke(app, ["report", str(book), "--county", "370830", "-o", str(out)])
    assert r.exit_code == 0, r.output
    return docx.Document(str(out))


def _text(d: docx.document.Document) -> str:
    return "\n".join(p.text for p in d.paragraphs)


def _table_with(d: docx.document.Document, head: str) -> list[list[str]]:
    for t in d.tables:
        rows = [[c.text for c in row.cells] for row in t.rows]
        if rows and head in rows[0]:
            return rows
    raise AssertionError(f"no table headed {head}")


def _row(rows: list[list[str]], first: str) -> list[str]:
    return next(r for r in rows if r[0] == first)


def test_report_has_the_sections_of_a_self_evaluation_in_order(report):
    text = _text(report)
    heads = ["一、基本情况", "二、资源配置", "三、政府保障程度", "四、教育质量", "五、社会认可度",
             "六、申报资格与一票否决", "七、评估结论", "八、整改情况", "附录  数据来源"]  # fmt: skip
    positions = [text.index(h) for h in heads]
    assert positions == sorted(positions)
    assert "汶上县县域义务教育优质均衡发展督导评估自评报告" in text
    assert "评估年度：2026年" in text
    assert "{{" not in text and "{%" not in text


def test_basic_facts_table_counts_schools_pupils_teachers_and_the_rural_part(report):
    rows = _table_with(report, "其中：乡村")
    assert _row(rows, "小学（所）")[1:] == ["3", "1"]
    assert _row(rows, "初中（所）")[1:] == ["1", "0"]
    assert _row(rows, "小学在校学生数（人）")[1:] == ["2300", "500"]
    # 60 + 48 + 30 teachers; classes 25 + 20 + 12
    assert _row(rows, "小学专任教师数（人）")[1:] == ["138", "30"]
    assert _row(rows, "小学教学班数（个）")[1:] == ["57", "12"]
    assert _row(rows, "初中在校学生数（人）")[1:] == ["1000", "0"]


def test_means_and_cvs_are_printed_half_up_to_the_forms_digits(report):
    rows = _table_with(report, "小学差异系数")
    qualified = _row(rows, "每百名学生拥有高于规定学历教师数")
    assert qualified[1:4] == ["4.35", "0.285", "达标"]
    # junior: one school, 60 qualified per 1000 → 6.00 and no spread
    assert qualified[4:7] == ["6.00", "0.000", "达标"]


def test_schools_meeting_each_indicator_with_shares(report):
    rows = _table_with(report, "小学达标学校数")
    assert _row(rows, "每百名学生拥有高于规定学历教师数")[1:3] == ["2", "66.7%"]
    assert _row(rows, "综合评估（达标学校）")[1:5] == ["2", "66.7%", "1", "100.0%"]


def test_failing_school_is_listed_with_its_gap(report):
    rows = _table_with(report, "未达标指标及差距")
    [school] = [r for r in rows if r[0] == "第3小学"]
    assert school[1:3] == ["小学", "6项"]
    assert "现值2.00，标准4.20，达到标准须增加11人" in school[3] and "低于85%底线" in school[3]


def test_conclusion_gives_the_verdict_and_every_reason(report):
    text = _text(report)
    assert "经评估，汶上县未达到县域义务教育优质均衡发展标准。" in text
    assert "第3小学（6项达标；未达标：高学历教师" in text
    assert "暂无整改台账。" in text


def test_guarantee_quality_and_recognition_tables(report):
    guarantee = _table_with(report, "指标值或简要结论")
    assert len([r for r in guarantee if r[0].isdigit()]) == 15
    recog = _table_with(report, "数值")
    # 850 satisfied of 1000 valid; 85 of 100 visited
    assert _row(recog, "问卷调查综合满意度")[1] == "85.0%"
    assert _row(recog, "实地走访满意度")[1] == "85.0%"


def test_charts_are_embedded_as_images(report):
    # CV bars and distributions for both stages
    assert len(report.inline_shapes) == 4
    blobs = [p.blob for p in report.part.package.parts if p.content_type == "image/png"]
    assert len(blobs) == 4 and all(b.startswith(b"\x89PNG") for b in blobs)


def test_tables_repeat_their_header_row_and_pages_are_numbered(report):
    for t in report.tables:
        assert t.rows[0]._tr.trPr is not None
        assert t.rows[0]._tr.trPr.xpath("./w:tblHeader")
    footer = report.sections[0].footer._element.xml
    assert "PAGE" in footer
    assert round(report.sections[0].page_width.cm, 1) == 21.0


def test_template_is_written_out_and_an_edited_copy_is_used(tmp_path, book):
    tpl = tmp_path / "模板.docx"
    r = runner.invoke(app, ["report", "--template", str(tpl)])
    assert r.exit_code == 0, r.output
    assert tpl.read_bytes() == TEMPLATE.read_bytes()
    edited = docx.Document(str(tpl))
    for p in edited.paragraphs:
        if p.text == "一、基本情况":
            p.runs[0].text = "一、县情概况"
    edited.save(str(tpl))
    out = tmp_path / "r.docx"
    r = runner.invoke(app, ["report", str(book), "-c", "汶上县", "--use-template", str(tpl),
                            "-o", str(out)])  # fmt: skip
    assert r.exit_code == 0, r.output
    text = _text(docx.Document(str(out)))
    assert "一、县情概况" in text and "一、基本情况" not in text


def test_broken_template_tag_is_a_chinese_error(tmp_path, book):
    tpl = tmp_path / "坏模板.docx"
    d = docx.Document()
    d.add_paragraph("{{ county ")
    d.save(str(tpl))
    r = runner.invoke(app, ["report", str(book), "-c", "370830", "--use-template", str(tpl),
                            "-o", str(tmp_path / "x.docx")])  # fmt: skip
    assert r.exit_code == 2
    assert "报告模板" in r.output and "有误" in r.output
    assert not (tmp_path / "x.docx").exists()


def test_unknown_county_lists_the_known_ones(tmp_path, book):
    r = runner.invoke(app, ["report", str(book), "-c", "999999", "-o", str(tmp_path / "x.docx")])
    assert r.exit_code == 2
    assert "没有区县“999999”" in r.output and "370830 汶上县" in r.output
    assert "Traceback" not in r.output


def test_a_year_other_than_the_workbooks_is_refused_naming_the_cell(tmp_path, book):
    import openpyxl

    out = tmp_path / "x.docx"
    r = runner.invoke(app, ["report", str(book), "-c", "370830", "--year", "2020", "-o", str(out)])
    assert r.exit_code == 2 and "Traceback" not in r.output
    message = " ".join(r.output.split())
    found = re.search(r"工作表“区县”第(\d+)行“评估年度”为2026年，与 --year 2020 不符", message)
    assert found, message
    assert "请改用 --year 2026" in message and not out.exists()
    # the row named is the county's row of the 区县 sheet, whose 评估年度 cell holds 2026
    ws = openpyxl.load_workbook(book)["区县"]
    heads = {str(c.value).split("（")[0]: c.column for row in ws.iter_rows(max_row=3) for c in row
             if c.value}  # fmt: skip
    row = int(found.group(1))
    assert ws.cell(row, heads["评估年度"]).value == 2026
    assert ws.cell(row, heads["区县代码"]).value == "370830"
    r = runner.invoke(app, ["report", str(book)])
    assert r.exit_code == 2 and "--county" in r.output


def test_the_workbooks_own_year_is_accepted_and_printed_on_the_cover(tmp_path, book):
    out = tmp_path / "r.docx"
    r = runner.invoke(app, ["report", str(book), "-c", "370830", "--year", "2026", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "评估年度：2026年" in _text(docx.Document(str(out)))


@pytest.mark.parametrize(
    "counties", [None, [county_row(year=None)]], ids=["no 区县 sheet", "blank"]
)
def test_a_workbook_stating_no_year_is_reported_for_the_year_given(tmp_path, counties):
    book = write_workbook(tmp_path / "县.xlsx", _schools(), counties)
    out = tmp_path / "r.docx"
    r = runner.invoke(app, ["report", str(book), "-c", "370830", "--year", "2025", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "评估年度：2025年" in _text(docx.Document(str(out)))


def test_a_font_without_chinese_glyphs_is_refused_before_drawing(tmp_path, book, monkeypatch):
    import matplotlib

    latin = Path(matplotlib.get_data_path(), "fonts/ttf/DejaVuSans.ttf")
    monkeypatch.setenv("JUNHENG_CJK_FONT", str(latin))
    out = tmp_path / "x.docx"
    r = runner.invoke(app, ["report", str(book), "-c", "370830", "-o", str(out)])
    assert r.exit_code == 2
    assert "缺少这些字符" in r.output and "fonts-noto-cjk" in r.output
    assert not out.exists()


def test_no_font_at_all_says_what_to_install(monkeypatch):
    from junheng.reports import fonts

    monkeypatch.delenv(fonts.FONT_ENV, raising=False)
    monkeypatch.setattr(fonts, "_CANDIDATES", ("/nonexistent/font.ttc",))
    with pytest.raises(fonts.FontError, match="未找到可显示中文的字体"):
        fonts.checked_font("小学")


def test_the_installed_cjk_font_covers_every_chart_label():
    from junheng.reports import fonts
    from junheng.standard import load_standard

    std = load_standard()
    labels = (
        "".join(i.short + i.title for i in std.indicators)
        + "小学初中各指标校际差异系数上限标准的学校数分布"
    )
    assert fonts.missing_glyphs(fonts.find_cjk_font(), labels) == ""


def test_year_over_year_chart_appears_only_with_several_years(tmp_path, book):
    from junheng.reader import read_workbook
    from junheng.reports.county import ReportFormat, write_county_report
    from junheng.standard import load_standard

    std = load_standard()
    data = read_workbook(book, std)
    out = tmp_path / "r.docx"
    history = {2024: {"primary": 0.31, "junior": 0.22}, 2025: {"primary": 0.29, "junior": None}}
    write_county_report(data, std, "370830", ReportFormat.docx, out, history=history)
    assert len(docx.Document(str(out)).inline_shapes) == 5
    # a stored figure for the report's own year is replaced by this evaluation's
    write_county_report(
        data, std, "370830", ReportFormat.docx, out, history={2026: {"primary": 9.0}}
    )
    assert len(docx.Document(str(out)).inline_shapes) == 4


def _sections_of_tables(d: docx.document.Document) -> list[tuple[int, list[list[str]]]]:
    """(section index, rows) of every table: a section ends at a paragraph holding a sectPr."""
    from docx.oxml.ns import qn
    from docx.table import Table

    out, section = [], 0
    for el in d.element.body.iterchildren():
        if el.tag == qn("w:tbl"):
            t = Table(el, d)
            out.append((section, [[c.text for c in row.cells] for row in t.rows]))
        elif el.tag == qn("w:p") and el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            section += 1
    return out


def test_wide_tables_print_on_a_landscape_section_between_portrait_ones(report):
    from docx.enum.section import WD_ORIENT

    sections = report.sections
    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE,
                                                 WD_ORIENT.PORTRAIT]  # fmt: skip
    assert (round(sections[1].page_width.cm, 1), round(sections[1].page_height.cm, 1)) == (
        29.7,
        21.0,
    )
    assert round(sections[2].page_width.cm, 1) == 21.0
    # the landscape section inherits the page-number footer; numbering runs on
    assert sections[1].footer.is_linked_to_previous and sections[2].footer.is_linked_to_previous
    tables = _sections_of_tables(report)

    def section_of(head: str) -> set[int]:
        return {s for s, rows in tables if head in rows[0]}

    assert section_of("学校名称") == {1} and section_of("未达标指标及差距") == {1}  # 表Ⅱ-2, gaps
    assert section_of("其中：乡村") == {0} and section_of("小学差异系数") == {0}  # 表Ⅰ, 表Ⅲ
    assert section_of("指标值或简要结论") == {2}  # 表Ⅳ and 表Ⅴ
    # each wide table is sized to the landscape page's 25.7 cm between margins
    for s, rows in _sections_of_tables(report):
        if s == 1:
            t = next(t for t in report.tables if t.rows[0].cells[-1].text == rows[0][-1])
            total = sum(col.w for col in t._tbl.tblGrid.gridCol_lst)
            assert abs(total / 360000 - 25.7) < 0.05


def test_per_school_table_prints_each_schools_seven_values(report):
    rows = _table_with(report, "学校名称")
    assert len(rows[0]) == 14
    # 第1小学: 1000 pupils, 25 classes, 50 qualified / 20 backbone / 11 PE-art teachers,
    # 5000 ㎡ teaching rooms, 8000 ㎡ ground, 250 万元 equipment, 30 multimedia rooms
    first = _row([r[1:] for r in rows], "第1小学")
    assert first[1:5] == ["小学", "1000", "25", "5.00"]
    assert first[5:11] == ["2.00", "1.10", "5.00", "8.00", "2500.00", "3.00"]
    assert first[11] == "是" and first[12] == "7项指标均达标"
    third = _row([r[1:] for r in rows], "第3小学")
    assert third[4] == "2.00" and third[11] == "否"  # 10 qualified teachers per 500 pupils
    assert "低于85%：高学历教师" in third[12]
    junior = _row([r[1:] for r in rows], "第101中学")
    assert junior[1:5] == ["初中", "1000", "22", "6.00"]
    # the failing figure is red, the passing ones are not
    table = next(t for t in report.tables if "学校名称" in t.rows[0].cells[1].text)
    row = next(r for r in table.rows if r.cells[1].text == "第3小学")
    colours = [str(run.font.color.rgb) if run.font.color.type else None
               for c in row.cells[5:7] for run in c.paragraphs[0].runs if run.text]  # fmt: skip
    assert colours == ["C00000", None]


def test_a_figure_printing_as_the_standard_but_below_it_shows_its_exact_value():
    from conftest import run
    from junheng.reports.schools import school_rows

    # 105 qualified teachers for 2502 pupils: 4.19664 per 100, which two decimals print as 4.20
    ev = run([primary_school(1, 2502, p_qualified=105), primary_school(2)])
    rows = {r["name"]: r for r in school_rows(ev.counties[0].resource.schools, ev.standard)}
    assert "4.1966" in rows["第1小学"]["v1"].xml and "4.20" not in rows["第1小学"]["v1"].xml
    assert "C00000" in rows["第1小学"]["v1"].xml and "C00000" not in rows["第2小学"]["v1"].xml
    assert "5.00" in rows["第2小学"]["v1"].xml


def test_with_no_year_anywhere_the_cover_leaves_a_blank_to_fill_in(tmp_path):
    book = write_workbook(tmp_path / "县.xlsx", _schools(), None)
    out = tmp_path / "r.docx"
    r = runner.invoke(app, ["report", str(book), "-c", "370830", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "评估年度：____年" in _text(docx.Document(str(out)))
