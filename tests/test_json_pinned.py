"""The evaluation JSON of the 16-county demo province, pinned byte for byte.

``data/demo16_evaluation.json.gz`` was written before the JSON path was reworked for speed; any
change in how the JSON is assembled must give the same bytes. The pinned file is itself checked
against what the demo's scenarios were designed to show, and against a CV computed by hand from
its own per-school figures, so that it does not pin a wrong document.
"""

from __future__ import annotations

import gzip
import io
import json
import math
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from junheng.demo import SCENARIOS, demo_records, scenario_for
from junheng.engine.api import evaluate
from junheng.reader import dataset_from_records
from junheng.standard import load_standard

PINNED = Path(__file__).parent / "data" / "demo16_evaluation.json.gz"


@pytest.fixture(scope="module")
def pinned() -> bytes:
    with gzip.open(PINNED, "rb") as f:
        return f.read()


@pytest.fixture(scope="module")
def written() -> bytes:
    std = load_standard()
    schools, counties = demo_records(16, seed=2026)
    ev = evaluate(dataset_from_records(schools, counties, std), std)
    buf = io.BytesIO()
    ev.write_json(buf)
    return buf.getvalue()


def _first_difference(a: bytes, b: bytes) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"first difference at byte {i}: {a[i - 80 : i + 80]!r} vs {b[i - 80 : i + 80]!r}"


def test_demo_json_is_byte_for_byte_the_pinned_one(pinned: bytes, written: bytes) -> None:
    assert written == pinned, _first_difference(written, pinned)


def test_to_json_is_the_same_bytes(pinned: bytes) -> None:
    std = load_standard()
    schools, counties = demo_records(16, seed=2026)
    ev = evaluate(dataset_from_records(schools, counties, std), std)
    assert ev.to_json().encode() == pinned


def _doc(pinned: bytes) -> Any:
    def refuse(token: str) -> None:
        raise AssertionError(f"{token} in the JSON")

    return json.loads(pinned, parse_constant=refuse)


def test_pinned_json_shows_the_designed_scenarios(pinned: bytes) -> None:
    doc = _doc(pinned)
    counties = doc["counties"]
    assert len(counties) == 16
    for i, c in enumerate(counties):
        scenario = scenario_for(i)
        assert c["recognised"] is (scenario == "pass"), (scenario, c["reasons"])
        if scenario not in ("pass", "blank"):
            assert len(c["reasons"]) == 1, (scenario, c["reasons"])
    by = dict(zip(SCENARIOS, counties, strict=False))
    assert by["pass"]["reasons"] == []
    assert by["veto"]["vetoes"] == ["重点校或重点班"]
    floor = [s for s in by["floor"]["resource"]["schools"] if not s["pass"]]
    assert [(s["stage"], s["met"], s["below_floor"]) for s in floor] == [
        ("primary", 6, ["equipment_value"])
    ]
    # the failing school is named in the reason, with what keeps it from passing
    assert floor[0]["name"] in by["floor"]["reasons"][0]
    assert "6项达标" in by["floor"]["reasons"][0]


def test_pinned_cv_matches_a_hand_computation(pinned: bytes) -> None:
    cv_county = _doc(pinned)["counties"][SCENARIOS.index("cv")]
    res = cv_county["resource"]
    schools = [s for s in res["schools"] if s["stage"] == "primary"]
    x = [s["values"]["sports_area"] for s in schools]
    w = [s["students"] for s in schools]
    mean = sum(a * b for a, b in zip(x, w, strict=True)) / sum(w)
    var = sum(b * (a - mean) ** 2 for a, b in zip(x, w, strict=True)) / sum(w)
    stage = res["stages"]["primary"]
    assert stage["mean"]["sports_area"] == pytest.approx(mean, rel=1e-12)
    assert stage["cv"]["sports_area"] == pytest.approx(math.sqrt(var) / mean, rel=1e-12)
    assert stage["cv"]["sports_area"] > 0.5 and stage["cv_pass"]["sports_area"] is False
    assert list(stage["cv_drivers"]) == ["sports_area"]


def test_pinned_gap_texts_read_as_the_figures(pinned: bytes) -> None:
    doc = _doc(pinned)
    gaps = [g for c in doc["counties"] for s in c["resource"]["schools"] for g in s["gaps"]]
    assert gaps
    for g in gaps:
        # whole teachers, rooms and 元; m² to two decimals, as the meaning prints them
        digits = 2 if g["indicator"] in ("teaching_area", "sports_area") else 0
        assert f"须增加{g['to_standard']:.{digits}f}" in g["meaning"]
        if g["to_floor"] > 0:
            assert f"增加{g['to_floor']:.{digits}f}可达到" in g["meaning"]


def test_failing_school_reads_in_a_reason_as_written_by_hand() -> None:
    from junheng.engine.reasons import why_school_expr
    from junheng.standard import RESOURCE_KEYS

    std = load_standard()
    ok = dict.fromkeys(RESOURCE_KEYS, True)
    rows = [
        # 5 met; backbone teachers and equipment below the standard, equipment below 85% too
        {"name": "甲小学", "met": 5, **{f"met_{k}": v for k, v in ok.items()},
         "met_backbone_teachers": False, "met_equipment_value": False,
         **{f"floor_{k}": v for k, v in ok.items()}, "floor_equipment_value": False},
        # 6 met, one below the standard but above 85%: no "其中低于85%" part
        {"name": "乙小学", "met": 6, **{f"met_{k}": v for k, v in ok.items()},
         "met_sports_area": False, **{f"floor_{k}": v for k, v in ok.items()}},
        # a verdict that could not be taken (null) counts as not met, as in the typed results
        {"name": "丙小学", "met": 6, **{f"met_{k}": v for k, v in ok.items()},
         "met_multimedia_rooms": None, **{f"floor_{k}": v for k, v in ok.items()},
         "floor_multimedia_rooms": None},
    ]  # fmt: skip
    frame = pl.DataFrame(rows, schema_overrides={f"{p}_{k}": pl.Boolean for p in ("met", "floor") for k in RESOURCE_KEYS})  # fmt: skip
    assert frame.select(why_school_expr(std)).to_series().to_list() == [
        "甲小学（5项达标；未达标：骨干教师、仪器设备，其中低于85%：仪器设备）",
        "乙小学（6项达标；未达标：体育场馆）",
        "丙小学（6项达标；未达标：多媒体教室，其中低于85%：多媒体教室）",
    ]
