"""A few hundred malformed workbooks from a seed: none yields a traceback, a dropped
school, inf/NaN in the JSON or a partial result — each is refused whole with Chinese
findings, or read and evaluated with every school accounted for."""

from __future__ import annotations

import json
import random
import re
import zipfile
from pathlib import Path

import pytest

from conftest import county_row, junior_school, primary_school
from junheng import InputError, evaluate, read_workbook
from junheng.contract import COUNTY_COLUMNS, SCHOOL_COLUMNS
from rawxlsx import ErrorValue, Formula, school_row, sheet_xml, write

CASES = 300
JUNK: list[object] = [
    "", " ", "/", "无", "—", "abc", -5, -0.5, 1e12, 3.7, 0, 0.5, "1e999", "inf", "nan", "NaN",
    "１２３", "\u200b", "\ufeff12", "12,345", "１３７０８３０００１", True, False, "是", "否",
    Formula("SUM(A1:A2)"), Formula("A1*2", 7.0), ErrorValue(), ErrorValue("#N/A"), "=A1",
    "x" * 300, "小学", "教学点", "九年一贯制", "Ⅳ", 2**40, -(2**40), 1e-300,
]  # fmt: skip
ENGLISH_IN_BRACKETS = re.compile(r"[(（][^)）]*[A-Za-z]{3,}[^)）]*[)）]")


def _base(rng: random.Random) -> tuple[list[list[object]], list[list[object]]]:
    schools = [primary_school(1), junior_school(), primary_school(2, type="九年一贯制学校", j_students=300,
               j_classes=7, j_teachers=25, j_qualified=20, j_backbone=5, j_pe_art=4)]  # fmt: skip
    if rng.random() < 0.3:
        schools.append(primary_school(3, type="教学点", students=rng.choice([0, 20, 60])))
    grid: list[list[object]] = [[c.header for c in SCHOOL_COLUMNS], *[school_row(s) for s in schools]]  # fmt: skip
    crow = county_row()
    cgrid: list[list[object]] = [
        [c.header for c in COUNTY_COLUMNS],
        [
            ("是" if v else "否") if isinstance(v, bool) else v
            for v in (crow.get(c.key) for c in COUNTY_COLUMNS)
        ],
    ]
    return grid, cgrid


def _mutate(rng: random.Random, grid: list[list[object]], cgrid: list[list[object]], extra: dict[str, object]) -> None:  # fmt: skip
    kind = rng.randrange(8)
    target = grid if rng.random() < 0.8 else cgrid
    if kind <= 3:  # a junk value in a data cell
        row = target[rng.randrange(1, len(target))]
        if row:
            row[rng.randrange(len(row))] = rng.choice(JUNK)
    elif kind == 4:  # header trouble: blank, duplicated or renamed
        j = rng.randrange(len(target[0]))
        target[0][j] = rng.choice([None, target[0][rng.randrange(len(target[0]))], "未知列", "\u200b" + str(target[0][j])])  # fmt: skip
    elif kind == 5:  # rows: duplicated, nearly empty, or blank in between
        choice = rng.randrange(3)
        if choice == 0:
            target.append(list(target[rng.randrange(1, len(target))]))
        elif choice == 1:
            target.append([None, "只有名称"])
        else:
            target.insert(rng.randrange(1, len(target) + 1), [])
    elif kind == 6:  # a stray value somewhere to the right or below
        col = rng.choice(["AZ", "ZZ", "XFD", "B"])
        extra[f"{col}{rng.choice([50, 5000, 1048576])}"] = rng.choice([*JUNK[:6], 1])
    else:  # a column cut short
        row = target[rng.randrange(1, len(target))]
        del row[rng.randrange(len(row) + 1) :]


def _strict(text: str) -> object:
    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in JSON")

    return json.loads(text, parse_constant=refuse)


def _case(seed: int, folder: Path) -> str:
    rng = random.Random(seed)
    grid, cgrid = _base(rng)
    extra: dict[str, object] = {}
    for _ in range(rng.randint(1, 3)):
        _mutate(rng, grid, cgrid, extra)
    sheets = {"学校": sheet_xml(grid, extra), "区县": sheet_xml(cgrid)}
    if rng.random() < 0.2:
        sheets["填报说明"] = sheet_xml([["说明"]], {"XFD1048576": "x"})
    path = write(folder / f"case{seed}.xlsx", sheets)
    if rng.random() < 0.08:  # damaged bytes
        data = bytearray(path.read_bytes())
        if rng.random() < 0.5:
            data = data[: rng.randrange(len(data))]
        else:
            for _ in range(20):
                data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
    try:
        data = read_workbook(path)
    except InputError as exc:
        assert exc.findings, seed
        for f in exc.findings:
            assert re.search(r"[\u4e00-\u9fff]", f.message), (seed, f.message)
            assert not ENGLISH_IN_BRACKETS.search(f.message), (seed, f.message)
            computed = f.message.replace(f"“{f.value}”", "") if f.value else f.message
            assert not re.search(r"\b(nan|inf)\b", computed.lower()), (seed, f.message)
        return "refused"
    result = evaluate(data)
    text = result.to_json()
    doc = _strict(text)
    assert isinstance(doc, dict)
    listed: set[str] = set()
    for county in doc["counties"]:
        res = county.get("resource") or county["parts"]["resource"]
        listed |= {s["code"] for s in res["schools"]} | {e["code"] for e in res["excluded"]}
        assert all(e["reason"] for e in res["excluded"])
    assert listed == set(data.schools["code"].to_list()), seed
    return "read"


def test_malformed_workbooks_never_crash_drop_schools_or_leak_nan(tmp_path):
    outcomes: dict[str, int] = {}
    for seed in range(CASES):
        outcome = _case(seed, tmp_path)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    # the generator must exercise both paths for the test to mean anything
    assert outcomes.get("refused", 0) > 50 and outcomes.get("read", 0) > 20, outcomes


@pytest.mark.parametrize("seed", [0])
def test_a_valid_base_workbook_reads(tmp_path, seed):
    grid, cgrid = _base(random.Random(seed))
    path = write(tmp_path / "ok.xlsx", {"学校": sheet_xml(grid), "区县": sheet_xml(cgrid)})
    assert read_workbook(path).schools.height == len(grid) - 1
    assert zipfile.is_zipfile(path)
