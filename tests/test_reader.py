"""Reading the contract workbook: header matching, blanks, and every kind of bad input,
each refused whole with a Chinese message naming sheet, row, column and value."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from conftest import county_row, junior_school, primary_school
from junheng import InputError, read_workbook, write_workbook
from junheng.contract import COUNTY_COLUMNS, SCHOOL_COLUMNS

HEADERS = [c.header for c in SCHOOL_COLUMNS]


def _book(path: Path, rows: list[list[object]], headers: list[str] | None = None,
          county: list[list[object]] | None = None, title_rows: int = 0) -> Path:  # fmt: skip
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学校"
    for _ in range(title_rows):
        ws.append(["某县义务教育学校基本情况"])
    ws.append(headers or HEADERS)
    for r in rows:
        ws.append(r)
    if county is not None:
        cs = wb.create_sheet("区县")
        for r in county:
            cs.append(r)
    wb.save(path)
    return path


def _row(rec: dict[str, object]) -> list[object]:
    out: list[object] = []
    for c in SCHOOL_COLUMNS:
        v = rec.get(c.key)
        out.append(("是" if v else "否") if isinstance(v, bool) else v)
    return out


def _refused(path: Path) -> InputError:
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    return exc.value


def test_reads_a_good_workbook(tmp_path):
    path = write_workbook(
        tmp_path / "ok.xlsx", [primary_school(1), junior_school()], [county_row()]
    )
    data = read_workbook(path)
    assert data.schools.height == 2
    assert data.schools["code"].to_list() == ["1370830001", "1370830101"]
    assert data.schools["type"].to_list() == ["primary", "junior"]
    assert data.counties is not None and data.counties["year"].to_list() == [2026]


def test_headers_match_without_spaces_and_with_either_bracket(tmp_path):
    headers = [h.replace("（", "(").replace("）", ")") for h in HEADERS]
    headers[0] = "学校\n标识码"
    headers[4] = " 办学 类型 "
    cheaders = [c.header.replace("（", "(").replace("）", ")") for c in COUNTY_COLUMNS]
    crow = [county_row().get(c.key) for c in COUNTY_COLUMNS]
    crow = [("是" if v else "否") if isinstance(v, bool) else v for v in crow]
    path = _book(tmp_path / "b.xlsx", [_row(primary_school(1))], headers, [cheaders, crow])
    data = read_workbook(path)
    assert data.schools.height == 1
    assert data.counties is not None and data.counties["population"].to_list() == [70.0]


def test_title_rows_above_the_header_and_extra_columns_are_fine(tmp_path):
    path = _book(tmp_path / "t.xlsx", [[*_row(primary_school(1)), "备注文字"]],
                 [*HEADERS, "备注"], title_rows=2)  # fmt: skip
    data = read_workbook(path)
    assert data.schools["_row"].to_list() == [4]


def test_numbers_typed_as_text_and_codes_as_numbers(tmp_path):
    rec = primary_school(1)
    row = _row(rec)
    row[0] = 1370830001  # Excel keeps a typed code as a number
    row[HEADERS.index("小学在校生数")] = " 1000 "
    path = _book(tmp_path / "n.xlsx", [row])
    data = read_workbook(path)
    assert data.schools["code"].to_list() == ["1370830001"]
    assert data.schools["p_students"].to_list() == [1000]


def test_blank_optional_cell_is_not_reported_not_zero(tmp_path):
    path = _book(tmp_path / "o.xlsx", [_row(primary_school(1, certified=None, p_oversized=None))])
    data = read_workbook(path)
    assert data.schools["certified"].to_list() == [None]
    assert data.schools["p_oversized"].to_list() == [None]
    assert data.schools["indoor_sports"].to_list() == [0.0]  # the one column where blank = 0


def test_missing_required_column(tmp_path):
    headers = [h for h in HEADERS if h != "运动场地面积"]
    row = [v for h, v in zip(HEADERS, _row(primary_school(1)), strict=True) if h != "运动场地面积"]
    err = _refused(_book(tmp_path / "m.xlsx", [row], headers))
    f = err.findings[0]
    assert (f.type, f.sheet, f.row, f.column) == ("missing-column", "学校", 1, "运动场地面积")
    assert "第1行缺少必填列“运动场地面积”" in f.message


def test_missing_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.save(tmp_path / "s.xlsx")
    err = _refused(tmp_path / "s.xlsx")
    assert err.findings[0].type == "missing-sheet"
    assert "没有名为“学校”的工作表" in err.findings[0].message


def test_duplicate_school_code(tmp_path):
    rows = [_row(primary_school(1)), _row(primary_school(2)), _row(primary_school(1))]
    err = _refused(_book(tmp_path / "d.xlsx", rows))
    [f] = err.findings
    assert (f.type, f.row, f.column, f.value) == ("duplicate-code", 4, "学校标识码", "1370830001")
    assert "与第2行重复" in f.message


@pytest.mark.parametrize("value", ["一千", "12人", "N/A"])
def test_non_number_in_number_column(tmp_path, value):
    row = _row(primary_school(1))
    row[HEADERS.index("小学在校生数")] = value
    err = _refused(_book(tmp_path / "x.xlsx", [row]))
    f = err.findings[0]
    assert (f.type, f.sheet, f.row, f.column, f.value) == (
        "invalid-value",
        "学校",
        2,
        "小学在校生数",
        value,
    )
    assert f.message == f"工作表“学校”第2行“小学在校生数”列的值“{value}”有误：应为数字"


def test_fraction_in_a_count_column(tmp_path):
    row = _row(primary_school(1))
    row[HEADERS.index("小学专任教师数")] = 12.5
    err = _refused(_book(tmp_path / "f.xlsx", [row]))
    assert "应为整数" in err.findings[0].message


def test_negative_count(tmp_path):
    row = _row(primary_school(1))
    row[HEADERS.index("网络多媒体教室数")] = -3
    [f] = _refused(_book(tmp_path / "neg.xlsx", [row])).findings
    assert (f.type, f.row, f.column, f.value) == ("negative-number", 2, "网络多媒体教室数", "-3")
    assert "不能为负数" in f.message


def test_unknown_school_type(tmp_path):
    row = _row(primary_school(1))
    row[HEADERS.index("办学类型")] = "幼儿园"
    [f] = _refused(_book(tmp_path / "u.xlsx", [row])).findings
    assert (f.type, f.column, f.value) == ("unknown-school-type", "办学类型", "幼儿园")
    assert "九年一贯制学校" in f.message


@pytest.mark.parametrize("name", ["九年一贯制", "十二年一贯制", "特殊教育", "完全中学", "教学点"])
def test_school_type_without_xuexiao_is_accepted(name):
    from junheng.contract import school_type_code

    assert school_type_code(name) is not None


@pytest.mark.parametrize(
    ("column", "value", "whole"),
    [
        ("小学高于规定学历教师数", 61, "小学专任教师数"),
        ("小学县级及以上骨干教师数", 61, "小学专任教师数"),
        ("小学体育艺术专任教师数", 61, "小学专任教师数"),
        ("持教师资格证专任教师数", 61, "小学与初中专任教师数之和"),
    ],
)
def test_teachers_of_a_kind_exceeding_full_time_teachers(tmp_path, column, value, whole):
    row = _row(primary_school(1))  # 60 full-time teachers
    row[HEADERS.index(column)] = value
    [f] = _refused(_book(tmp_path / "e.xlsx", [row])).findings
    assert (f.type, f.row, f.column, f.value) == ("exceeds-total", 2, column, str(value))
    assert whole in f.message and "（60）" in f.message


def test_value_required_by_the_school_type(tmp_path):
    row = _row(junior_school())
    row[HEADERS.index("初中专任教师数")] = None
    row[HEADERS.index("初中高于规定学历教师数")] = None
    found = _refused(_book(tmp_path / "r.xlsx", [row])).findings
    assert [f.column for f in found] == ["初中专任教师数", "初中高于规定学历教师数"]
    assert "办学类型为“初中”的学校必须填写此项" in found[0].message


def test_bad_codes(tmp_path):
    row = _row(primary_school(1, code="137083", county_code="37083"))
    found = {(f.column, f.type) for f in _refused(_book(tmp_path / "c.xlsx", [row])).findings}
    assert found == {("学校标识码", "invalid-code"), ("区县代码", "invalid-code")}


def test_every_error_is_reported_and_nothing_is_read(tmp_path):
    rows = [_row(primary_school(i)) for i in range(1, 6)]
    rows[1][HEADERS.index("办学类型")] = "大学"
    rows[3][HEADERS.index("运动场地面积")] = "很大"
    rows[4][0] = rows[0][0]
    err = _refused(_book(tmp_path / "all.xlsx", rows))
    assert [(f.row, f.column) for f in err.findings] == [
        (3, "办学类型"), (5, "运动场地面积"), (6, "学校标识码"),
    ]  # fmt: skip
    assert "整个文件未导入" in str(err)


def test_county_sheet_errors(tmp_path):
    crow = county_row(survey_satisfied=2000)  # more satisfied than valid questionnaires
    path = write_workbook(tmp_path / "c.xlsx", [primary_school(1)], [crow, county_row()])
    found = {(f.sheet, f.row, f.column, f.type) for f in _refused(path).findings}
    assert ("区县", 2, "满意问卷数", "exceeds-total") in found
    assert ("区县", 3, "区县代码", "duplicate-code") in found


def test_yes_no_and_level_cells(tmp_path):
    path = write_workbook(tmp_path / "y.xlsx", [primary_school(1)],
                          [county_row(layout_ok="对", monitor_level="Ⅴ")])  # fmt: skip
    found = {(f.column, f.message.split("：")[-1]) for f in _refused(path).findings}
    assert ("规划布局合理", "应为“是”或“否”") in found
    assert ("质量监测最低等级", "应为等级 Ⅰ、Ⅱ、Ⅲ、Ⅳ 之一") in found


def test_not_an_excel_file(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_text("not excel")
    assert _refused(p).findings[0].type == "unreadable-file"


def test_missing_file(tmp_path):
    assert _refused(tmp_path / "none.xlsx").findings[0].type == "file-not-found"


def test_empty_school_sheet(tmp_path):
    assert _refused(_book(tmp_path / "e.xlsx", [])).findings[0].type == "empty-sheet"


@pytest.mark.parametrize(
    ("over", "column", "expected"),
    [
        (
            {"nearby_primary": 1.0},
            "小学就近划片入学比例（%）",
            "像是小数比例：请填写百分数，如 96 表示 96%",
        ),
        ({"nearby_junior": 120.0}, "初中就近划片入学比例（%）", "不能大于100"),
        ({"monitor_diff": 14.0}, "质量监测最大校际差异率", "不能大于1"),
    ],
)
def test_percentages_and_rates_out_of_range(tmp_path, over, column, expected):
    path = write_workbook(tmp_path / "p.xlsx", [primary_school(1)], [county_row(**over)])
    [f] = _refused(path).findings
    assert (f.sheet, f.row, f.column) == ("区县", 2, column)
    assert f.message.endswith(expected)
