"""The evaluation JSON written from the engine's frames: strict JSON, the data contract's keys,
values checked by hand on a three-school county, and the same document as the typed results."""

from __future__ import annotations

import io
import json
import math
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import county_row, primary_school, run
from junheng.cli import app
from junheng.workbook import write_workbook

KEYS = ["qualified_teachers", "backbone_teachers", "pe_art_teachers", "teaching_area",
        "sports_area", "equipment_value", "multimedia_rooms"]  # fmt: skip


def _strict(text: str) -> Any:
    def refuse(token: str) -> None:
        raise AssertionError(f"{token} in the JSON")

    return json.loads(text, parse_constant=refuse)


def _schools() -> list[dict[str, Any]]:
    return [
        primary_school(1),  # 1000 pupils, 50 qualified → 5.0 per 100
        primary_school(2, 800, p_qualified=20),  # 2.5 per 100, below 4.2 and below 85% (3.57)
        primary_school(3, 500, sports_ground=500 * 40.0),  # 40 m² per pupil against 8
        primary_school(9, 60, type="特殊教育学校"),  # not in the resource part
        primary_school(4, 2100),  # over 2000 pupils: a school check
    ]  # fmt: skip


@pytest.fixture(scope="module")
def doc() -> Any:
    return _strict(run(_schools(), [county_row()]).to_json())


def test_json_is_compact_and_strict(doc: Any) -> None:
    text = run(_schools(), [county_row()]).to_json()
    assert "\n" not in text and ", " not in text.split('"reasons"')[0]
    assert _strict(text) == doc


def test_json_keeps_every_key_of_the_data_contract(doc: Any) -> None:
    assert doc["standard"] == "national-2017"
    [c] = doc["counties"]
    assert {"code", "name", "recognised", "reasons", "resource", "guarantee", "quality",
            "recognition", "vetoes"} <= set(c)  # fmt: skip
    res = c["resource"]
    assert {"pass", "stages", "schools"} <= set(res)
    assert set(res["stages"]) == {"primary"}  # a stage with no schools is absent
    prim = res["stages"]["primary"]
    assert {"schools", "schools_passing", "mean", "cv", "cv_pass"} <= set(prim)
    assert list(prim["mean"]) == list(prim["cv"]) == list(prim["cv_pass"]) == KEYS
    for s in res["schools"]:
        assert {"code", "stage", "students", "values", "met", "pass"} <= set(s)
        assert list(s["values"]) == KEYS
    for part in ("guarantee", "quality"):
        assert {"pass", "items"} <= set(c[part])
        assert all({"no", "pass", "detail"} <= set(i) for i in c[part]["items"])
    assert "pass" in c["recognition"]
    assert c["vetoes"] == []


def test_json_values_by_hand(doc: Any) -> None:
    [c] = doc["counties"]
    res = c["resource"]
    by_code = {s["code"]: s for s in res["schools"]}
    # schools in code order; the special school is not among them but listed as excluded
    assert list(by_code) == ["1370830001", "1370830002", "1370830003", "1370830004"]
    assert res["excluded"] == [
        {"code": "1370830009", "name": "第9小学", "type": "特殊教育学校",
         "reason": "特殊教育学校不参加资源配置评估"}
    ]  # fmt: skip
    a, b = by_code["1370830001"], by_code["1370830002"]
    assert a["values"]["qualified_teachers"] == 5.0
    assert a["values"]["equipment_value"] == 2500.0  # 250 万元 ÷ 1000 pupils
    assert (a["met"], a["pass"], a["below_standard"], a["gaps"]) == (7, True, [], [])
    assert b["values"]["qualified_teachers"] == 2.5
    assert (b["met"], b["pass"]) == (6, False)
    assert b["below_standard"] == b["below_floor"] == ["qualified_teachers"]
    # (4.2 − 2.5) × 800 / 100 = 13.6 → 14 teachers; (3.57 − 2.5) × 8 = 8.56 → 9
    assert b["gaps"] == [{"indicator": "qualified_teachers", "unit": "人",
                          "to_standard": 14.0, "to_floor": 9.0,
                          "meaning": "须增加14名高于规定学历教师，小学每百名学生拥有高于规定学历"
                                     "教师数才达到标准4.20人；增加9可达到3.57人（标准的85%）"}]  # fmt: skip
    prim = res["stages"]["primary"]
    assert (prim["schools"], prim["schools_passing"], prim["students"]) == (4, 3, 4400)
    # sports per pupil: 8, 8, 40, 8 with 1000, 800, 500, 2100 pupils
    n = [1000, 800, 500, 2100]
    x = [8.0, 8.0, 40.0, 8.0]
    mean = sum(p * v for p, v in zip(n, x, strict=True)) / 4400
    dev = [p * (v - mean) ** 2 for p, v in zip(n, x, strict=True)]
    cv = math.sqrt(sum(dev) / 4400) / mean
    assert prim["mean"]["sports_area"] == pytest.approx(mean, rel=1e-12)
    assert prim["cv"]["sports_area"] == pytest.approx(cv, rel=1e-12)
    assert cv > 0.5 and prim["cv_pass"]["sports_area"] is False
    # drivers only for the failing CV: school 3 first, then the larger deviations
    assert list(prim["cv_drivers"]) == ["sports_area"]
    drivers = prim["cv_drivers"]["sports_area"]
    assert [d["code"] for d in drivers] == ["1370830003", "1370830004", "1370830001"]
    assert drivers[0]["share"] == pytest.approx(dev[2] / sum(dev), rel=1e-12)
    assert drivers[0] == {"code": "1370830003", "name": "第3小学", "students": 500,
                          "value": 40.0, "share": drivers[0]["share"]}  # fmt: skip
    # the oversized school is listed among the school checks with its county
    [chk] = [x for x in c["school_checks"] if x["code"] == "1370830004"]
    assert (chk["county_code"], chk["oversize"], chk["compulsory"]) == ("370830", True, 2100)
    assert any("第2小学" in r and "1所学校" in r for r in c["reasons"])
    assert c["recognised"] is False


def test_json_from_the_frames_equals_the_typed_results() -> None:
    fast = _strict(run(_schools(), [county_row()]).to_json())
    typed = run(_schools(), [county_row()]).to_dict()
    assert fast == json.loads(json.dumps(typed, ensure_ascii=False))


def test_indented_json_on_request_parses_to_the_same(doc: Any) -> None:
    text = run(_schools(), [county_row()]).to_json(indent=2)
    assert text.startswith('{\n  "standard"')
    assert _strict(text) == doc


def test_write_json_writes_the_same_bytes_as_to_json() -> None:
    ev = run(_schools(), [county_row()])
    buf = io.BytesIO()
    ev.write_json(buf)
    assert buf.getvalue().decode() == run(_schools(), [county_row()]).to_json()


def test_counties_are_built_on_demand_and_found_by_code() -> None:
    other = [dict(s, county_code="370831", county_name="乙县", code="2" + s["code"][1:])
             for s in _schools()[:2]]  # fmt: skip
    ev = run(
        _schools() + other, [county_row(), county_row(county_code="370831", county_name="乙县")]
    )
    assert len(ev.counties) == 2
    assert ev.county("370831").name == "乙县"
    assert [c.code for c in ev.counties] == ["370830", "370831"]
    assert ev.counties[-1] is ev.county("370831")
    with pytest.raises(KeyError):
        ev.county("999999")
    assert [s.code for s in ev.county("370831").resource.schools] == ["2370830001", "2370830002"]
    doc = _strict(ev.to_json())
    assert [c["code"] for c in doc["counties"]] == ["370830", "370831"]
    assert [s["code"] for s in doc["counties"][1]["resource"]["schools"]] == [
        "2370830001", "2370830002"]  # fmt: skip


def test_cli_json_to_stdout_and_file_is_strict(tmp_path: Any) -> None:
    book = write_workbook(tmp_path / "in.xlsx", _schools(), [county_row()])
    runner = CliRunner()
    r = runner.invoke(app, ["evaluate", str(book), "-f", "json"])
    assert r.exit_code == 1, r.output
    on_screen = _strict(r.stdout)
    out = tmp_path / "结果.json"
    r = runner.invoke(app, ["evaluate", str(book), "-f", "json", "-o", str(out)])
    assert r.exit_code == 1
    assert _strict(out.read_text(encoding="utf-8")) == on_screen
    assert on_screen["counties"][0]["resource"]["schools"][1]["below_standard"] == [
        "qualified_teachers"]  # fmt: skip
