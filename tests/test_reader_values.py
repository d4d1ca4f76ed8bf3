"""Cell values per the data contract: not-applicable marks, normalised codes and headers,
duplicate headers, plausibility limits, and every school row evaluated or excluded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import county_row, junior_school, primary_school
from junheng import InputError, read_workbook, write_workbook
from junheng.contract import SCHOOL_COLUMNS
from junheng.intake import column_letters
from rawxlsx import school_book

HEADERS = [c.header for c in SCHOOL_COLUMNS]


def _refused(path: Path) -> InputError:
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    return exc.value


@pytest.mark.parametrize("mark", ["/", "无", "—", "-", "／", " 无 "])
def test_not_applicable_marks_in_a_stage_the_school_lacks_read_as_blank(tmp_path, mark):
    rec = junior_school(p_students=mark, p_classes=mark, p_teachers=mark, p_oversized=mark)
    data = read_workbook(school_book(tmp_path / "na.xlsx", [rec]))
    assert data.schools["p_students"].to_list() == [None]
    assert data.schools["p_oversized"].to_list() == [None]
    assert data.schools["j_students"].to_list() == [1000]


def test_other_text_in_a_stage_the_school_lacks_is_an_error_naming_the_cell(tmp_path):
    rec = junior_school(p_students="没有")
    f = _refused(school_book(tmp_path / "x.xlsx", [rec])).findings
    assert [(x.row, x.column, x.value) for x in f] == [(2, "小学在校生数", "没有")]
    assert f[0].message == "工作表“学校”第2行“小学在校生数”列的值“没有”有误：应为数字"


def test_a_not_applicable_mark_in_a_stage_the_school_has_is_an_error(tmp_path):
    rec = primary_school(1, p_students="/")
    f = _refused(school_book(tmp_path / "x.xlsx", [rec])).findings
    assert len(f) == 1 and (f[0].row, f[0].column) == (2, "小学在校生数")
    assert "不适用标记只能填在该校没有的学段" in f[0].message


def test_full_width_digits_in_codes_are_normalised_before_the_duplicate_check(tmp_path):
    wide = "".join(chr(0xFF10 + int(d)) for d in "1370830001")
    recs = [primary_school(1), primary_school(2, code=wide)]
    f = _refused(school_book(tmp_path / "d.xlsx", recs)).findings
    assert [(x.type, x.row) for x in f] == [("duplicate-code", 3)]
    assert "与第2行重复" in f[0].message
    one = read_workbook(school_book(tmp_path / "w.xlsx", [primary_school(2, code=wide, county_code="３７０８３０")]))  # fmt: skip
    assert one.schools.select("code", "county_code").row(0) == ("1370830001", "370830")


def test_zero_width_characters_and_bom_are_stripped(tmp_path):
    headers = ["\ufeff" + h if i == 0 else h.replace("数", "\u200b数") for i, h in enumerate(HEADERS)]  # fmt: skip
    rec = primary_school(1, type="小学\u200b", urban_rural="\ufeff城区", name="第1小学\u200d")
    path = school_book(tmp_path / "z.xlsx", [rec], headers=headers)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace("学校".encode(), "\u200b学校\ufeff".encode())  # fmt: skip
    with zipfile.ZipFile(path, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    row = read_workbook(path).schools.select("name", "type", "urban_rural", "p_students").row(0)
    assert row == ("第1小学", "primary", "城区", 1000)


def test_a_duplicated_header_is_an_error_naming_both_columns(tmp_path):
    headers = [*HEADERS, "小学在校生数"]
    path = school_book(tmp_path / "h.xlsx", [primary_school(1)], headers=headers)
    f = _refused(path).findings
    assert [x.type for x in f] == ["duplicate-column"]
    assert f[0].message == "工作表“学校”第1行的表头“小学在校生数”出现了两次（第I列和第AK列）：请删除多余的一列"  # fmt: skip


@pytest.mark.parametrize(
    ("over", "column", "setting"),
    [
        ({"p_students": 1_000_000}, "小学在校生数", "JUNHENG_MAX_PUPILS"),
        ({"p_teachers": 90_000}, "小学专任教师数", "JUNHENG_MAX_TEACHERS"),
        ({"teach_area": 9e9}, "教学及辅助用房面积", "JUNHENG_MAX_AREA"),
        ({"equipment": 5e7}, "教学仪器设备资产值", "JUNHENG_MAX_MONEY"),
        ({"mm_rooms": 50_000}, "网络多媒体教室数", "JUNHENG_MAX_ROOMS"),
    ],
)
def test_absurd_values_are_refused_by_plausibility_limits(tmp_path, over, column, setting):
    f = _refused(school_book(tmp_path / "a.xlsx", [primary_school(1, **over)])).findings
    hit = [x for x in f if x.type == "implausible-value"]
    assert len(hit) == 1 and hit[0].column == column and setting in hit[0].message


def test_plausibility_limits_are_settings(tmp_path, monkeypatch):
    path = school_book(tmp_path / "a.xlsx", [primary_school(1, students=40_000)])
    assert "不应超过30,000人" in _refused(path).findings[0].message
    monkeypatch.setenv("JUNHENG_MAX_PUPILS", "50000")
    monkeypatch.setenv("JUNHENG_MAX_TEACHERS", "5000")
    monkeypatch.setenv("JUNHENG_MAX_CLASSES", "5000")
    assert read_workbook(path).schools["p_students"].to_list() == [40_000]


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "1e999", "Infinity"])
def test_infinite_or_nan_text_is_not_a_number(tmp_path, text):
    f = _refused(school_book(tmp_path / "n.xlsx", [primary_school(1, teach_area=text)])).findings
    assert f[0].column == "教学及辅助用房面积" and f[0].message.endswith("应为数字")


def _strict(text: str) -> object:
    def refuse(name: str) -> None:
        raise ValueError(f"non-finite {name} in JSON")

    return json.loads(text, parse_constant=refuse)


def test_no_school_disappears_and_each_exclusion_has_its_reason(tmp_path):
    schools = [
        primary_school(1),
        primary_school(
            2,
            students=0,
            p_classes=0,
            p_teachers=0,
            p_qualified=0,
            p_backbone=0,
            p_pe_art=0,
            certified=0,
            trained=0,
            mm_rooms=0,
        ),
        primary_school(3, type="教学点", students=30),
        primary_school(4, type="特殊教育学校"),
        junior_school(),
    ]
    path = write_workbook(tmp_path / "x.xlsx", schools, [county_row()])
    out = tmp_path / "r.json"
    done = subprocess.run([sys.executable, "-m", "junheng.cli", "evaluate", str(path), "-f", "json", "-o", str(out)],
                          capture_output=True, text=True, timeout=120, check=False, env=os.environ.copy())  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    result = _strict(out.read_text(encoding="utf-8"))
    assert isinstance(result, dict)
    res = result["counties"][0]["parts"]["resource"] if "parts" in result["counties"][0] else result["counties"][0]["resource"]  # fmt: skip
    evaluated = {s["code"] for s in res["schools"]}
    excluded = {e["code"]: e["reason"] for e in res["excluded"]}
    assert evaluated == {"1370830001", "1370830101"}
    assert excluded == {
        "1370830002": "没有小学、初中在校生，不参加资源配置评估",
        "1370830003": "在校生不足50人的教学点（30人），不参加资源配置评估",
        "1370830004": "特殊教育学校不参加资源配置评估",
    }


def _native(tmp_path: Path, key: str, value: object) -> Path:
    """A workbook whose only school has *value* typed natively in *key*'s cell (an Excel
    logical cell TRUE/FALSE, not the text 是/否)."""
    rec = primary_school(1)
    rec.pop(key, None)
    letter = column_letters([c.key for c in SCHOOL_COLUMNS].index(key) + 1)
    return school_book(tmp_path / "native.xlsx", [rec], extra={f"{letter}2": value})


@pytest.mark.parametrize("value", [True, False])
def test_an_excel_logical_cell_in_a_yes_no_column_reads_as_yes_or_no(tmp_path, value):
    data = read_workbook(_native(tmp_path, "boarding", value))
    assert data.schools["boarding"].to_list() == [value]


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("p_students", True, "应为数字"),
    ("sponsor", False, "应为以下之一：公办、民办"),
])  # fmt: skip
def test_an_excel_logical_cell_elsewhere_is_refused_showing_it_as_excel_does(tmp_path, key, value, expected):  # fmt: skip
    """The message quotes the cell as the spreadsheet shows it (TRUE), not as Python
    prints it (True)."""
    shown = "TRUE" if value else "FALSE"
    f = _refused(_native(tmp_path, key, value)).findings
    header = next(c.header for c in SCHOOL_COLUMNS if c.key == key)
    assert [(x.row, x.column, x.value) for x in f] == [(2, header, shown)]
    assert f[0].message == f"工作表“学校”第2行“{header}”列的值“{shown}”有误：{expected}"


def test_an_excel_logical_cell_in_a_text_column_keeps_what_the_sheet_shows(tmp_path):
    data = read_workbook(_native(tmp_path, "name", True))
    assert data.schools["name"].to_list() == ["TRUE"]
