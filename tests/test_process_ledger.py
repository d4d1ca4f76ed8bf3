"""The rectification ledger from a county result written out by hand."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from junheng.process.ledger import (
    Status,
    can_close,
    close_refusal,
    is_met,
    keys,
    reconcile,
    shortfalls,
)


def _item(no: int, key: str, passed: bool | None, detail: str = "") -> dict[str, Any]:
    return {"no": no, "key": key, "title": f"第{no}项", "pass": passed, "detail": detail}


def county() -> dict[str, Any]:
    """A county failing: one school on equipment (gap 484400 元), primary sports CV 0.568,
    guarantee 5 (class size), guarantee 1 (layout, judged on evidence), and a veto."""
    return {
        "code": "380122",
        "resource": {
            "stages": {
                "primary": {
                    "cv": {"sports_area": 0.568, "equipment_value": 0.31},
                    "cv_pass": {"sports_area": False, "equipment_value": True},
                    "cv_drivers": {
                        "sports_area": [
                            {"name": "甲小学", "value": 21.456, "share": 0.4125},
                            {"name": "乙小学", "value": 2.1, "share": 0.2},
                            {"name": "丙小学", "value": 3.0, "share": 0.1},
                            {"name": "丁小学", "value": 4.0, "share": 0.05},
                        ]
                    },
                },
                "junior": {"cv": {"sports_area": 0.2}, "cv_pass": {"sports_area": True}},
            },
            "schools": [
                {
                    "code": "1380121023", "name": "封堡镇中心小学", "stage": "primary",
                    "pass": False, "values": {"equipment_value": 1560.0363306085376},
                    "below_standard": ["equipment_value"],
                    "gaps": [{"indicator": "equipment_value", "unit": "元",
                              "to_standard": 484400.0000000001, "to_floor": 154100.0}],
                },
                {   # passes with one indicator short: no ledger item
                    "code": "1380121024", "name": "岭下小学", "stage": "primary",
                    "pass": True, "values": {"teaching_area": 4.4},
                    "below_standard": ["teaching_area"], "gaps": [],
                },
            ],
        },
        "guarantee": {"items": [_item(1, "layout", False, "否"),
                                _item(5, "class_size", False, "超过45人的小学班级20个")]},
        "quality": {"items": [_item(1, "retention_junior", True), _item(2, "x", None)]},
        "recognition": {"items": []},
        "local": {"items": []},
        "eligibility": {"no": 1, "key": "basic_balance", "title": "通过基本均衡认定满3年",
                        "pass": True, "detail": ""},
        "vetoes": ["重点校或重点班"],
        "vetoes_unreported": [],
    }  # fmt: skip


def test_ledger_items_from_a_failing_county() -> None:
    items = shortfalls(county())
    assert keys(items) == [
        "school:1380121023:equipment_value",
        "cv:primary:sports_area",
        "item:layout",
        "item:class_size",
        "veto:3",
    ]
    school = items[0]
    assert school.title == "封堡镇中心小学（小学）“生均教学仪器设备值”未达到标准"
    assert school.detail == "现为 1560.04元，标准 2000.00元"
    assert school.gap == "距标准差 484400 元"
    cv = items[1]
    assert cv.title == "小学“生均体育运动场馆面积”校际差异系数未达到≤0.50的要求"
    # the three schools pulling the CV up most, not the fourth
    assert cv.detail == (
        "差异系数 0.568；主要拉高的学校：甲小学（21.46，占加权方差 41.3%）、"
        "乙小学（2.10，占加权方差 20.0%）、丙小学（3.00，占加权方差 10.0%）"
    )
    assert items[2].evidence_only is True  # layout is a yes/no reported on evidence
    assert items[3].evidence_only is False
    assert items[3].title == "政府保障程度第5项“第5项”未达标"
    assert items[4].title == "存在一票否决情形：重点校或重点班"


def test_ledger_eligibility_item_and_unassessed_items_are_not_shortfalls() -> None:
    c = county()
    c["eligibility"]["pass"] = False
    c["eligibility"]["detail"] = "基本均衡认定年份2024年"
    assert "eligibility:basic_balance" in keys(shortfalls(c))
    # quality item 2 is 未评估 (None): not a shortfall, and is_met says nothing
    assert "item:x" not in keys(shortfalls(c))
    assert is_met("item:x", c) is None


def test_is_met_reads_each_kind_of_key() -> None:
    c = county()
    assert is_met("school:1380121023:equipment_value", c) is False
    assert is_met("school:1380121024:teaching_area", c) is True  # the school passes
    assert is_met("school:9999999999:teaching_area", c) is None  # not in this evaluation
    assert is_met("cv:primary:sports_area", c) is False
    assert is_met("cv:primary:equipment_value", c) is True
    assert is_met("cv:senior:sports_area", c) is None
    assert is_met("item:class_size", c) is False
    assert is_met("item:retention_junior", c) is True
    assert is_met("item:nope", c) is None
    assert is_met("eligibility:basic_balance", c) is True
    assert is_met("veto:3", c) is False
    assert is_met("veto:1", c) is True
    assert is_met("veto:0", c) is None
    assert is_met("veto:x", c) is None
    assert is_met("bogus", c) is None
    c["vetoes_unreported"] = ["考试招生"]
    assert is_met("veto:1", c) is None


def test_reconcile_closes_only_what_the_data_proves_and_never_duplicates() -> None:
    first = county()
    ledger = {k: Status.PENDING for k in keys(shortfalls(first))}
    # same data again: nothing new, nothing closed
    same = reconcile(ledger, first)
    assert same.new == [] and same.closed == [] and same.reopened == []

    later = copy.deepcopy(first)
    later["resource"]["stages"]["primary"]["cv_pass"]["sports_area"] = True
    later["guarantee"]["items"][1]["pass"] = True
    later["vetoes"] = []
    later["quality"]["items"][0]["pass"] = False  # a new shortfall appears
    r = reconcile(ledger, later)
    assert r.closed == ["cv:primary:sports_area", "item:class_size", "veto:3"]
    assert keys(r.new) == ["item:retention_junior"]
    assert r.reopened == []


def test_reconcile_reopens_an_item_that_slips_back() -> None:
    ledger = {"item:class_size": Status.CLOSED, "cv:primary:sports_area": Status.CLOSED,
              "school:9999999999:teaching_area": Status.CLOSED}  # fmt: skip
    r = reconcile(ledger, county())
    assert r.reopened == ["item:class_size", "cv:primary:sports_area"]
    assert r.closed == []


def test_reconcile_rejects_an_unknown_status() -> None:
    with pytest.raises(ValueError):
        reconcile({"item:class_size": "完成了"}, county())


def test_county_cannot_close_an_item_the_data_shows_failing() -> None:
    c = county()
    assert not can_close("item:class_size", c, status=Status.DOING)
    assert close_refusal("item:class_size", c, status=Status.DOING) == (
        "最新评估数据显示该项仍未达标，不能销号；数据达标后将自动销号"
    )
    assert can_close("item:retention_junior", c, status=Status.DOING)
    assert close_refusal("item:x", c, status=Status.DOING, evidence_only=False) == (
        "最新评估未涉及该项，须以新的评估数据证明达标后销号"
    )
    assert not can_close("item:class_size", None, status=Status.DOING)
    assert close_refusal("item:class_size", c, status=Status.CLOSED) == "该项已销号"


def test_evidence_only_item_closes_when_the_city_accepts_a_report() -> None:
    c = county()
    key = "item:layout"
    assert not can_close(key, c, status=Status.DOING, evidence_only=True)
    assert not can_close(key, c, status=Status.DOING, evidence_only=True, accepting=True)
    assert not can_close(key, c, status=Status.REPORTED, evidence_only=True)  # county itself
    assert can_close(key, c, status=Status.REPORTED, evidence_only=True, accepting=True)
