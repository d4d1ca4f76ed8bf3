"""The plan table and the ledger as Excel, read back cell by cell."""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from junheng.process.exports import LedgerRow, ledger_xlsx, plan_xlsx
from junheng.process.plan import CountyPlan, plan_table, targets_by_year


def test_plan_export_has_city_rows_year_columns_and_cumulative_share() -> None:
    plans = [
        CountyPlan("370101", "历下区", "济南市", 2022),
        CountyPlan("370102", "市中区", "济南市", 2024),
        CountyPlan("370103", "槐荫区", "济南市", 2024),
        CountyPlan("370201", "市南区", "青岛市", 2023),
        CountyPlan("370202", "市北区", "青岛市", None),
    ]
    table = plan_table(plans)
    data = plan_xlsx(table, "示范省县域义务教育优质均衡创建规划表",
                     targets=targets_by_year({2022: 10, 2025: 30}, 5))  # fmt: skip
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws is not None
    assert ws["A1"].value == "示范省县域义务教育优质均衡创建规划表"
    assert ws["C2"].value == "计划通过国家认定年度及区县名称"
    assert [ws.cell(3, c).value for c in range(3, 13)] == [f"{y}年" for y in range(2021, 2031)]
    assert ws["M2"].value == "未定年度" and ws["N2"].value == "区县数"
    assert [ws.cell(4, c).value for c in (1, 2)] == [1, "济南市"]
    assert ws["D4"].value == "历下区"  # 2022
    assert ws["F4"].value == "市中区\n槐荫区"  # 2024, one name a line
    assert ws["N4"].value == 3
    assert ws["B5"].value == "青岛市" and ws["E5"].value == "市南区" and ws["M5"].value == "市北区"
    assert ws["A6"].value == "当年计划数"
    assert [ws.cell(6, c).value for c in range(3, 8)] == [0, 1, 1, 2, 0]
    assert ws["A7"].value == "累计数" and ws["F7"].value == 4 and ws["N7"].value == 5
    # 4 of 5 counties by 2024
    assert ws["A8"].value == "累计占比" and ws["F8"].value == "80.0%" and ws["D8"].value == "20.0%"
    # 10% of 5 → 1 from 2022; 30% of 5 → 2 from 2025
    assert [ws.cell(9, c).value for c in range(3, 13)] == [0, 1, 1, 1, 2, 2, 2, 2, 2, 2]


def test_ledger_export_in_the_taizhang_layout() -> None:
    rows = [
        LedgerRow("封堡镇中心小学“生均教学仪器设备值”未达到标准", "购置仪器设备48.44万元",
                  "县教育和体育局", date(2026, 9, 30), "整改中", ""),
        LedgerRow("大班额", "新建教学楼", "县发展和改革局", None, "已销号",
                  "2027年评估数据显示已达标"),
    ]  # fmt: skip
    ws = openpyxl.load_workbook(io.BytesIO(ledger_xlsx(rows, "牛兴县整改台账"))).active
    assert ws is not None
    assert ws["A1"].value == "牛兴县整改台账"
    assert [c.value for c in ws[2]] == ["序号", "问题", "整改措施", "责任单位", "完成时限",
                                        "整改进度", "销号情况"]  # fmt: skip
    assert [c.value for c in ws[3]] == [1, "封堡镇中心小学“生均教学仪器设备值”未达到标准",
                                        "购置仪器设备48.44万元", "县教育和体育局",
                                        "2026年9月30日", "整改中", None]  # fmt: skip
    assert ws["E4"].value is None and ws["G4"].value == "2027年评估数据显示已达标"
    assert ws.max_row == 4
