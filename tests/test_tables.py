"""申报表 tables written by ``write_tables``, read back with openpyxl.

Every expected number below is worked out by hand from the school rows in ``_schools``;
the comments show the arithmetic.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from junheng.engine.api import evaluate_file
from junheng.reports.tables import write_tables
from junheng.results import Evaluation
from junheng.workbook import write_workbook

WENSHANG = ("370830", "汶上县")
SISHUI = ("370831", "泗水县")


def _school(code: str, name: str, kind: str, county: tuple[str, str] = WENSHANG,
            **values: Any) -> dict[str, Any]:  # fmt: skip
    return {"code": code, "name": name, "type": kind, "county_code": county[0],
            "county_name": county[1], **values}  # fmt: skip


def _primary(p: int, classes: int, teachers: int, qualified: int, backbone: int, pe_art: int,
             teach: float, sports: float, equip: float, rooms: int) -> dict[str, Any]:  # fmt: skip
    return {"p_students": p, "p_classes": classes, "p_teachers": teachers,
            "p_qualified": qualified, "p_backbone": backbone, "p_pe_art": pe_art,
            "teach_area": teach, "sports_ground": sports, "equipment": equip, "mm_rooms": rooms}  # fmt: skip


def _schools() -> list[dict[str, Any]]:
    complete = {"music_ok": 1, "art_ok": 1, "public_funds": 50.0, "training_funds": 3.0}
    return [
        # P1, 500 pupils: 21/500*100 = 4.20, 6 → 1.20, 5 → 1.00, 2500 m² → 5.00 m²,
        # 4000 m² → 8.00 m², 120 万元 → 2400 元, 12 rooms → 2.40; all seven met
        _school(
            "3708300001",
            "城关小学",
            "小学",
            **_primary(500, 12, 30, 21, 6, 5, 2500, 4000, 120, 12),
            **complete,
        ),
        # P2 (民办), 500 pupils: 18 qualified → 3.60 < 4.2 but ≥ 0.85 × 4.2 = 3.57; the other six
        # are met (7 → 1.40, 5 → 1.00, 4.60 m², 7.60 m², 2200 元, 2.40) → passes
        _school(
            "3708300002",
            "新村小学",
            "小学",
            sponsor="民办",
            **_primary(500, 12, 30, 18, 7, 5, 2300, 3800, 110, 12),
            **complete,
        ),
        # P3, 200 pupils: 9 → 4.50, 1 → 0.50 (< 0.85 floor), 2 → 1.00, 800 m² → 4.00 (< 4.5,
        # ≥ 3.825), 8.00 m², 2500 元, 2.50 → 5 met and one below the floor → fails.
        # 8 classes need 1 music room; none meets 96 m². Training funds 0.5 of 20 万元 < 5 %.
        _school(
            "3708300003",
            "李庄小学",
            "小学",
            **_primary(200, 8, 12, 9, 1, 2, 800, 1600, 50, 5),
            music_ok=0,
            art_ok=1,
            public_funds=20.0,
            training_funds=0.5,
        ),
        # J1, 600 junior pupils: 33 → 5.50, 7 → 1.1667, 6 → 1.00, 3600 m² → 6.00,
        # 6300 m² → 10.50, 160 万元 → 2666.67 元, 15 rooms → 2.50: all met
        _school(
            "3708300004",
            "第一中学",
            "初中",
            j_students=600,
            j_classes=12,
            j_teachers=40,
            j_qualified=33,
            j_backbone=7,
            j_pe_art=6,
            teach_area=3600,
            sports_ground=6300,
            equipment=160,
            mm_rooms=15,
            **complete,
        ),
        # N1 九年一贯制: 400 primary + 300 junior; weighted 400 + 1.1 × 300 = 730, so a shared
        # m² counts 1/730 per primary pupil and 1.1/730 per junior pupil.
        # teaching 3650 m² → primary 5.00, junior 5.50 (< 5.8, ≥ 4.93); sports 7300 → 10.0 / 11.0;
        # equipment 175.2 万元 → 2400 / 2640 元; rooms 20 → 2.74 / 3.01 per 100.
        # primary teachers 20/4/4 of 400 → 5.00, 1.00, 1.00; junior 18/3/3 of 300 → 6.00, 1.00, 1.00
        _school(
            "3708300005",
            "实验学校",
            "九年一贯制学校",
            p_students=400,
            p_classes=10,
            p_teachers=25,
            p_qualified=20,
            p_backbone=4,
            p_pe_art=4,
            j_students=300,
            j_classes=6,
            j_teachers=22,
            j_qualified=18,
            j_backbone=3,
            j_pe_art=3,
            teach_area=3650,
            sports_ground=7300,
            equipment=175.2,
            mm_rooms=20,
            **{**complete, "music_ok": 2, "art_ok": 2},
        ),  # 16 classes → 2 rooms each
        # C1 完全中学: 300 junior + 250 senior, weighted 330 + 330 → junior share 1/2.
        # 18 qualified of 300 → 6.00; sports 6000 × 0.5 / 300 = 10.00 < 10.2 (≥ 8.67)
        _school(
            "3708300006",
            "第二中学",
            "完全中学",
            j_students=300,
            s_students=250,
            j_classes=6,
            j_teachers=20,
            j_qualified=18,
            j_backbone=3,
            j_pe_art=3,
            teach_area=3600,
            sports_ground=6000,
            equipment=150,
            mm_rooms=15,
            **complete,
        ),
        # T1, a 教学点 of 60 pupils (≥ 50, so a primary school): 3 → 5.00, all met
        _school(
            "3708300007",
            "王庄教学点",
            "教学点",
            **_primary(60, 3, 5, 3, 1, 1, 300, 600, 15, 2),
            music_ok=1,
            art_ok=1,
        ),
        # T2, a 教学点 of 30 pupils: left out of the resource part
        _school(
            "3708300008", "北坡教学点", "教学点", **_primary(30, 2, 3, 2, 1, 1, 150, 300, 8, 1)
        ),
    ]


def _county() -> dict[str, Any]:
    return {"county_code": WENSHANG[0], "county_name": WENSHANG[1], "layout_ok": True,
            "four_unified": False, "survey_total": 800, "survey_valid": 760,
            "survey_satisfied": 700, "visits": 120, "visits_satisfied": 110}  # fmt: skip


def _evaluate(tmp_path: Path, schools: list[dict[str, Any]]) -> Evaluation:
    book = write_workbook(tmp_path / "in.xlsx", schools=schools, counties=[_county()],
                          validate_rows=0)  # fmt: skip
    return evaluate_file(book)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    tmp = tmp_path_factory.mktemp("tables")
    out = write_tables(_evaluate(tmp, _schools()), tmp / "out" / "申报表.xlsx")
    assert out == tmp / "out" / "申报表.xlsx"
    return openpyxl.load_workbook(out)


def _row(ws: Any, name: str, col: int = 2) -> tuple[Any, ...]:
    """The values of the first row whose column *col* (1-based) holds *name*."""
    for row in ws.iter_rows(values_only=True):
        if row[col - 1] == name:
            return tuple(row)
    raise AssertionError(f"{name} not in {ws.title}")


def test_sheet_names_for_one_county(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["表Ⅱ-1", "表Ⅱ-2", "表Ⅲ", "表Ⅳ", "表Ⅴ", "表Ⅵ", "差距明细"]


def test_sheet_names_for_two_counties_carry_the_county_code(tmp_path: Path) -> None:
    other = _school("3708310001", "泗水小学", "小学", county=SISHUI,
                    **_primary(100, 6, 8, 5, 1, 1, 500, 800, 25, 3))  # fmt: skip
    ev = _evaluate(tmp_path, [*_schools(), other])
    wb = openpyxl.load_workbook(write_tables(ev, tmp_path / "two.xlsx"))
    tables = ["表Ⅱ-1", "表Ⅱ-2", "表Ⅲ", "表Ⅳ", "表Ⅴ", "表Ⅵ"]
    assert wb.sheetnames == [
        *(f"370830 {t}" for t in tables), *(f"370831 {t}" for t in tables), "差距明细",
    ]  # fmt: skip
    assert wb["370831 表Ⅱ-1"]["A1"].value == "表Ⅱ-1  小学、初中资源配置基本情况（泗水县）"
    assert wb["差距明细"]["A1"].value.endswith("（2个区县）")


def test_titles_are_merged_and_name_the_county(book: openpyxl.Workbook) -> None:
    ws = book["表Ⅱ-1"]
    assert ws["A1"].value == "表Ⅱ-1  小学、初中资源配置基本情况（汶上县）"
    assert "A1:J1" in {str(r) for r in ws.merged_cells.ranges}
    assert book["表Ⅲ"]["A1"].value == "表Ⅲ  县域义务教育校际均衡情况（汶上县）"
    assert book["表Ⅵ"]["A1"].value == "表Ⅵ  社会认可度调查情况（汶上县）"
    assert [book["表Ⅱ-2"].cell(3, j).value for j in (1, 7, 14, 15)] == ["L1", "L7", "L14", None]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_table_2_1_counts_and_shares(book: openpyxl.Workbook) -> None:
    ws = book["表Ⅱ-1"]
    assert (ws["A4"].value, ws["B4"].value, ws["B5"].value) == (
        "小学",
        "达标学校总数",
        "达标学校比例（%）",
    )
    # primary: P1, P2, P3, N1, T1. qualified teachers met by all but P2 → 4 of 5 → 80.0 %;
    # teaching area met by all but P3 → 4; 综合评估 passes all but P3 → 4
    assert ws["C4"].value == 4 and ws["C5"].value == 80.0
    assert ws["F4"].value == 4 and ws["J4"].value == 4 and ws["J5"].value == 80.0
    # junior: J1, N1, C1. teaching area met by J1 and C1 → 2 of 3 = 66.666… → 66.7 %;
    # sports met by J1 (10.5) and N1 (11.0) → 66.7 %; all three pass → 100.0 %
    assert (ws["F6"].value, ws["F7"].value) == (2, 66.7)
    assert (ws["G6"].value, ws["G7"].value) == (2, 66.7)
    assert (ws["J6"].value, ws["J7"].value) == (3, 100.0)
    assert ws["F7"].number_format == "0.0" and isinstance(ws["F7"].value, float)


def test_table_2_2_rows(book: openpyxl.Workbook) -> None:
    ws = book["表Ⅱ-2"]
    # a section row per stage, then its schools: primary first (by code), then junior;
    # 实验学校 is in both lists, each row named by its part; 北坡教学点 (30) is not listed
    assert ws["A4"].value == "小学（5所）" and "A4:O4" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A10"].value == "初中（3所）"
    names = [ws.cell(r, 2).value for r in (*range(5, 10), *range(11, 14))]
    assert names == ["城关小学", "新村小学", "李庄小学", "实验学校（小学部）", "王庄教学点",
                     "第一中学", "实验学校（初中部）", "第二中学（初中部）"]  # fmt: skip
    assert [ws.cell(r, 1).value for r in (*range(5, 10), *range(11, 14))] == [
        1,
        2,
        3,
        4,
        5,
        1,
        2,
        3,
    ]
    p1 = _row(ws, "城关小学")
    # 序号, 学校名称, 举办者类型 7 (公办), 500 pupils, 6 grades, 12 classes, 4.20 … 2.40
    assert p1[:13] == (1, "城关小学", 7, 500, 6, 12, 4.2, 1.2, 1.0, 5.0, 8.0, 2400.0, 2.4)
    assert p1[13:] == ("是", "7项指标均达标")
    p2 = _row(ws, "新村小学")
    assert p2[2] == 10  # 民办
    assert p2[6] == 3.6 and p2[13] == "是"
    assert (
        p2[14]
        == "6项达标：骨干教师、体育艺术教师、教学用房、体育场馆、仪器设备、多媒体教室；达到85%：高学历教师"
    )
    p3 = _row(ws, "李庄小学")
    assert p3[7] == 0.5 and p3[9] == 4.0 and p3[13] == "否"
    assert (
        p3[14]
        == "5项达标：高学历教师、体育艺术教师、体育场馆、仪器设备、多媒体教室；达到85%：教学用房；低于85%：骨干教师"
    )
    j1 = _row(ws, "第一中学")
    # 7 / 600 × 100 = 1.1666… → 1.17; 1 600 000 元 / 600 = 2666.666… → 2666.67; 3 grades
    assert (j1[4], j1[7], j1[11]) == (3, 1.17, 2666.67)
    assert ws.cell(5, 8).number_format == "0.00"
    n1_junior = [ws.cell(12, j).value for j in range(1, 15)]
    # N1 junior: rooms 20 × 100 × (330/730) / 300 = 3.0137 → 3.01; teaching 3650 × 1.1 / 730 = 5.50
    assert n1_junior[:6] == [2, "实验学校（初中部）", 7, 300, 3, 6]
    assert (n1_junior[9], n1_junior[12]) == (5.5, 3.01)
    note = ws.cell(14, 1).value
    assert note.startswith("注：1.小学学校总数5所（其中：一贯制学校的小学部有1所，50人及以上教学点有1个），"
                           "初中学校总数3所（其中：一贯制学校的初中部1所，完全中学的初中部1所）。")  # fmt: skip


def _weighted_cv(pupils_values: list[tuple[int, float]]) -> float:
    n = sum(p for p, _ in pupils_values)
    mean = sum(p * x for p, x in pupils_values) / n
    return math.sqrt(sum(p * (x - mean) ** 2 for p, x in pupils_values) / n) / mean


def test_table_3_means_and_cvs(book: openpyxl.Workbook) -> None:
    ws = book["表Ⅲ"]
    # junior qualified teachers: J1 5.50 (600), N1 6.00 (300), C1 6.00 (300); N = 1200.
    # X̄ = (3300 + 1800 + 1800) / 1200 = 5.75; Σ P(X − X̄)² = 1200 × 0.25² = 75;
    # S = √(75 / 1200) = 0.25; CV = 0.25 / 5.75 = 0.04348 → 0.043
    assert (ws["C6"].value, ws["C7"].value) == (5.75, 0.043)
    assert ws["C7"].number_format == "0.000" and ws["C6"].number_format == "0.00"
    # primary qualified teachers: P1 4.2 (500), P2 3.6 (500), P3 4.5 (200), N1 5.0 (400),
    # T1 5.0 (60): X̄ = 7100 / 1660 = 4.2771 → 4.28
    # Σ P(X − X̄)² = 2.973 + 229.238 + 9.936 + 209.029 + 31.354 = 482.53; S = √(482.53 / 1660)
    # = 0.53915; CV = 0.53915 / 4.27711 = 0.12605 → 0.126
    assert (ws["C4"].value, ws["C5"].value) == (4.28, 0.126)
    primary = [(500, 4.2), (500, 3.6), (200, 4.5), (400, 5.0), (60, 5.0)]
    assert round(_weighted_cv(primary), 3) == 0.126
    # the plain, unweighted CV would be 0.52764 / 4.46 = 0.118: the form wants the weighted one
    assert round(_weighted_cv([(1, x) for _, x in primary]), 3) == 0.118
    # 综合 (for reference only): the plain mean of the seven CVs, the mean row left blank.
    # junior: qualified 0.04348; backbone J1 1.1667 (600), N1 1.0 (300), C1 1.0 (300): X̄ 1.0833,
    # S = 0.08333, CV 0.07692; pe_art 1.0 everywhere → 0; teaching J1 6.0, N1 5.5, C1 6.0 → X̄ 5.875,
    # S = 0.21651, CV 0.03685; sports J1 10.5, N1 11.0, C1 10.0 → X̄ 10.5, S 0.35355, CV 0.03367;
    # equipment J1 2666.67, N1 2640, C1 2500 → X̄ 2618.33, S 69.171, CV 0.02642; rooms J1 2.5,
    # N1 3.0137, C1 2.5 → X̄ 2.6284, S 0.22242, CV 0.08462. Mean of the seven: 0.30196 / 7 = 0.043
    # primary, by the same arithmetic on P1, P2, P3, N1 (share 400/730) and T1: 0.12605,
    # 0.25550, 0.12151, 0.06988, 0.11669, 0.04578, 0.08318 → mean 0.81860 / 7 = 0.117
    assert ws["J2"].value == "综合（仅供参考）"
    assert [ws.cell(r, 10).value for r in range(4, 8)] == ["——", 0.117, "——", 0.043]
    assert "仅供参考，不作为评估依据" in ws["A8"].value
    assert ws["A8"].value.startswith("注：全县平均值保留两位小数，差异系数保留三位小数。")


def test_tables_4_and_5_items(book: openpyxl.Workbook) -> None:
    ws = book["表Ⅳ"]
    assert [ws.cell(2, j).value for j in (1, 2, 3)] == ["名称", "指标值或简要结论", "是否达标"]
    rows = [ws.cell(r, 1).value for r in range(3, 18)]
    assert rows[0] == "1. 县域内义务教育学校规划布局合理，符合国家规定要求" and rows[14].startswith(
        "15. "
    )
    assert (ws["B3"].value, ws["C3"].value) == ("是", "是")  # 规划布局合理 = 是
    assert (ws["B4"].value, ws["C4"].value) == ("否", "否")  # 四统一 = 否
    assert ws["C5"].value == "否"  # 李庄小学 lacks a music room
    assert ws["C10"].value == "未评估"  # teachers' pay not reported
    assert ws["A18"].value == "注：表中所有比例数值保留一位小数，其余保留整数。"
    q = book["表Ⅴ"]
    assert q["A2"].value == "名称" and "A2:A3" in {str(r) for r in q.merged_cells.ranges}
    assert q["A7"].value.startswith("4. ") and q["C7"].value == "否"  # 李庄小学 training funds
    assert q["C4"].value == "未评估"  # retention figures not reported


def test_table_6_recognition(book: openpyxl.Workbook) -> None:
    ws = book["表Ⅵ"]
    assert [ws.cell(5, j).value for j in range(2, 9)] == [f"L{i}" for i in range(1, 8)]
    # 700 / 760 = 92.105 % → 92.1; 110 / 120 = 91.666 % → 91.7
    assert [ws.cell(6, j).value for j in range(1, 9)] == ["计", 800, 760, 700, 92.1, 120, 110, 91.7]
    assert ws["E6"].number_format == "0.0"
    assert [ws.cell(7, j).value for j in range(1, 9)] == ["其中：家长"] + [None] * 7


def test_gap_sheet(book: openpyxl.Workbook) -> None:
    ws = book["差距明细"]
    assert [ws.cell(2, j).value for j in range(1, 12)] == [
        "区县", "学校标识码", "学校名称", "学段", "指标", "现值", "标准值", "85%底线",
        "距标准还差", "距85%底线还差", "单位",
    ]  # fmt: skip
    rows = [r[:11] for r in ws.iter_rows(min_row=3, values_only=True)]
    # P2: 500 pupils, 18 teachers; needs 4.2 × 5 = 21 → 3 more; 3.57 × 5 = 17.85 ≤ 18 → 0
    assert rows[0] == ("汶上县", "3708300002", "新村小学", "小学", "每百名学生拥有高于规定学历教师数",
                       3.6, 4.2, 3.57, 3, 0, "人")  # fmt: skip
    # P3 backbone: 200 pupils, 1 teacher; 1.0 × 2 = 2 → 1 more; 0.85 × 2 = 1.7 → still 1 more
    assert rows[1][2] == "李庄小学" and rows[1][5:] == (0.5, 1.0, 0.85, 1, 1, "人")
    # P3 teaching area: (4.5 − 4.0) × 200 = 100 m²; floor 3.825 reached
    assert rows[2][5:] == (4.0, 4.5, 3.825, 100.0, 0, "㎡")
    # N1 junior teaching area: short 0.3 m² × 300 pupils = 90 m² of the junior share 330/730,
    # so the school adds 90 × 730 / 330 = 199.0909… m², shown rounded up: 199.10
    assert rows[3][1:4] == ("3708300005", "实验学校", "初中")
    assert rows[3][5:] == (5.5, 5.8, 4.93, 199.1, 0, "㎡")
    # C1 sports: (10.2 − 10.0) × 300 / 0.5 = 120 m²; floor 8.67 reached
    assert rows[4][2] == "第二中学" and rows[4][5:] == (10.0, 10.2, 8.67, 120.0, 0, "㎡")
    # then the school checks of 李庄小学: 8 classes → 1 music room needed, 0 meet 96 m²;
    # training funds 5 % × 20 万元 = 10 000 元 wanted, 5 000 元 budgeted → 5 000 short
    assert rows[5] == ("汶上县", "3708300003", "李庄小学", "小学", "音乐专用教室（达标间数）",
                       0, 1, None, 1, None, "间")  # fmt: skip
    assert rows[6][5:] == (5000, 10000, None, 5000, None, "元")
    assert len(rows) == 7
    assert ws["I7"].number_format == "0.00" and ws["I3"].number_format == "0"


def test_gap_sheet_without_gaps(tmp_path: Path) -> None:
    ev = _evaluate(tmp_path, [_schools()[0]])
    wb = openpyxl.load_workbook(write_tables(ev, tmp_path / "none.xlsx"))
    assert wb["差距明细"]["A3"].value == "所有参评学校各项指标均达到标准，无差距。"
