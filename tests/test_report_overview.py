"""City and province overviews: open ledger items and monitoring warnings per county.

Two counties: 汶上县 fails on 第3小学, 嘉祥县 passes. The ledger and monitoring records are
built by hand, as the web layer hands them over.
"""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import county_row, junior_school, primary_school, run
from junheng.cli import app
from junheng.process.monitoring import Alert, Level
from junheng.reports.overview import write_overview
from junheng.reports.progress import NO_LEDGER, NO_MONITORING, OpenItem, Progress, Watch
from junheng.workbook import write_workbook

runner = CliRunner()


def _schools() -> list[dict[str, object]]:
    jia = {"county_code": "370829", "county_name": "嘉祥县"}
    return [primary_school(1), primary_school(2, 800),
            primary_school(3, 500, urban_rural="乡村", p_qualified=10), junior_school(),
            primary_school(1, code="1370829001", **jia),
            junior_school(code="1370829101", **jia)]  # fmt: skip


def _counties() -> list[dict[str, object]]:
    return [county_row(), county_row(county_code="370829", county_name="嘉祥县")]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("wb") / "市.xlsx", _schools(), _counties())


def _progress() -> Progress:
    items = [OpenItem(f"事项{n}", due=f"2026-0{n}-01", status="待整改", overdue=n in (2, 4))
             for n in range(1, 6)]  # fmt: skip
    alerts = (
        Alert(Level.NOTICE, "cv:primary:x", "差异系数较上年上升", "由 0.300 升至 0.330"),
        Alert(Level.SEVERE, "recognised", "本年度评估未达到优质均衡", "第3小学未达标"),
        Alert(Level.SEVERE, "item:layout", "政府保障程度第1项未达标", "布局规划未落实"),
    )
    return Progress(
        ledger={"370830": items, "999999": [OpenItem("别县事项")]},
        monitoring={"370829": Watch(2026, alerts), "370830": Watch(2026, ())},
    )


def test_workbook_overview_says_it_has_no_ledger_or_monitoring(tmp_path, book):
    xlsx, word = tmp_path / "汇总.xlsx", tmp_path / "汇总.docx"
    for out in (xlsx, word):
        r = runner.invoke(app, ["overview", str(book), "-o", str(out)])
        assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(xlsx)
    assert wb["整改台账"]["A2"].value == NO_LEDGER and wb["整改台账"].max_row == 3
    assert wb["巩固监测"]["A2"].value == NO_MONITORING and wb["巩固监测"].max_row == 3
    d = docx.Document(str(word))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "整改台账未销号事项" in text and NO_LEDGER in text and NO_MONITORING in text
    assert len(d.tables) == 1  # the ranking only


def test_open_items_per_county_with_overdue_first_and_the_rest_counted(tmp_path):
    ev = run(_schools(), _counties())
    out = write_overview(ev, tmp_path / "o.xlsx", progress=_progress())
    ws = openpyxl.load_workbook(out)["整改台账"]
    # only counties of the overview: 999999 is not one of them; 嘉祥县 has nothing open
    assert ws["A2"].value == "1个区县共有未销号整改事项5项，其中逾期2项。"
    assert [c.value for c in ws[3]] == ["区县代码", "区县名称", "未销号事项", "其中：逾期",
                                        "主要事项（逾期在前）"]  # fmt: skip
    row = [c.value for c in ws[4]]
    assert row[:4] == ["370830", "汶上县", 5, 2]
    assert row[4] == ("1. 事项2（待整改，完成时限2026-02-01，已逾期）；"
                      "2. 事项4（待整改，完成时限2026-04-01，已逾期）；"
                      "3. 事项1（待整改，完成时限2026-01-01）；另有2项")  # fmt: skip
    assert ws.max_row == 4


def test_monitoring_warnings_counted_by_level_most_severe_county_first(tmp_path):
    ev = run(_schools(), _counties())
    out = write_overview(ev, tmp_path / "o.docx", progress=_progress())
    d = docx.Document(str(out))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "列入巩固监测的区县2个，其中1个有预警（严重2条、预警0条、提示1条）。" in text
    heads = ["区县代码", "区县名称", "监测年度", "严重", "预警", "提示", "预警事项"]
    [table] = [t for t in d.tables if [c.text for c in t.rows[0].cells] == heads]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert rows[0][:6] == ["370829", "嘉祥县", "2026年", "2", "0", "1"]
    assert rows[0][6].startswith("【严重】第3小学未达标；【严重】布局规划未落实；【提示】")
    assert rows[1] == ["370830", "汶上县", "2026年", "0", "0", "0", "无预警"]
    ledger = [t for t in d.tables if t.rows[0].cells[2].text == "未销号事项"]
    assert [c.text for c in ledger[0].rows[1].cells][:4] == ["370830", "汶上县", "5", "2"]


def test_an_empty_ledger_and_no_monitored_county_are_said_plainly(tmp_path):
    ev = run(_schools(), _counties())
    out = write_overview(ev, tmp_path / "o.xlsx", progress=Progress(ledger={}, monitoring={}))
    wb = openpyxl.load_workbook(out)
    assert wb["整改台账"]["A2"].value == "各区县没有未销号的整改事项。"
    assert wb["巩固监测"]["A2"].value == "没有已通过国家认定、列入巩固监测的区县。"
