"""Consolidation warnings at, just inside and just outside each threshold."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from junheng.process.monitoring import Level, monitor, settings_of, worst
from junheng.standard import load_standard


def county(primary_cv: float, junior_cv: float, *, item_pass: bool = True) -> dict[str, Any]:
    return {
        "recognised": True,
        "reasons": [],
        "resource": {
            "stages": {
                "primary": {"cv": {"sports_area": primary_cv}},
                "junior": {"cv": {"sports_area": junior_cv}},
            },
            "schools": [],
        },
        "guarantee": {"items": [{"no": 5, "key": "class_size", "title": "大班额",
                                 "pass": item_pass, "detail": "超过45人的小学班级3个"}]},
        "quality": {"items": []},
        "recognition": {"items": []},
        "local": {"items": []},
    }  # fmt: skip


def levels(c: dict[str, Any], **kw: Any) -> list[tuple[str, str]]:
    return [(a.level.value, a.key) for a in monitor(c, **kw)]


@pytest.mark.parametrize(
    ("junior_cv", "expected"),
    [
        (0.3999, []),  # just outside the 0.05 margin below the 0.45 limit
        (0.40, [("预警", "cv:junior:sports_area")]),  # exactly 0.05 from the limit
        (0.45, [("预警", "cv:junior:sports_area")]),  # at the limit: passes, but close
        (0.4501, [("严重", "cv:junior:sports_area")]),  # just over
    ],
)
def test_monitoring_junior_cv_thresholds(junior_cv: float, expected: list[Any]) -> None:
    assert levels(county(0.2, junior_cv)) == expected


@pytest.mark.parametrize(
    ("primary_cv", "expected"),
    [(0.4499, []), (0.45, ["预警"]), (0.50, ["预警"]), (0.5001, ["严重"])],
)
def test_monitoring_primary_cv_thresholds(primary_cv: float, expected: list[str]) -> None:
    assert [lv for lv, _ in levels(county(primary_cv, 0.1))] == expected


def test_monitoring_failed_item_is_severe_and_names_the_year_it_was_met() -> None:
    before = county(0.2, 0.1)
    alerts = monitor(county(0.2, 0.1, item_pass=False), recognised=before)
    assert [(a.level, a.key, a.title) for a in alerts] == [
        (Level.SEVERE, "item:class_size", "政府保障程度第5项未达标")
    ]
    assert alerts[0].message == "“大班额”（认定时或上年达标）：超过45人的小学班级3个"
    assert worst(alerts) is Level.SEVERE
    assert worst([]) is None


def test_monitoring_cv_rise_on_the_year_before() -> None:
    # 0.20 → 0.22 is exactly the 0.02 rise; 0.20 → 0.2199 is not
    assert levels(county(0.22, 0.1), previous=county(0.20, 0.1)) == [
        ("提示", "cv:primary:sports_area")
    ]
    assert levels(county(0.2199, 0.1), previous=county(0.20, 0.1)) == []


def test_monitoring_lost_recognition_first_and_school_list() -> None:
    c = county(0.2, 0.1)
    c["recognised"] = False
    c["reasons"] = ["甲"]
    c["resource"]["schools"] = [{"name": f"学校{i}", "pass": False} for i in range(6)]
    alerts = monitor(c)
    assert [a.level.value for a in alerts] == ["严重", "预警"]
    assert alerts[1].title == "6所学校资源配置未达标"
    assert alerts[1].message == "学校0、学校1、学校2、学校3、学校4等"


def test_monitoring_levels_and_margin_are_settings_of_the_standard() -> None:
    base = load_standard()
    assert base.settings["monitoring"]["cv_margin"] == 0.05  # in the bundled national file
    assert settings_of(base)["levels"]["cv_near"] is Level.WARNING
    std = dataclasses.replace(
        base,
        settings={**base.settings,
                  "monitoring": {"cv_margin": 0.1, "levels": {"cv_near": "提示"}}},
    )  # fmt: skip
    assert levels(county(0.2, 0.35), standard=std) == [("提示", "cv:junior:sports_area")]
    assert settings_of(std)["levels"]["cv_over"] is Level.SEVERE
    bad = dataclasses.replace(base, settings={**base.settings,
                                              "monitoring": {"levels": {"cv_near": "黄色"}}})  # fmt: skip
    with pytest.raises(ValueError):
        settings_of(bad)
