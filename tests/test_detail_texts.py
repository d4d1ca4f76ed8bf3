"""Item details written by Polars for every county at once read exactly as the one-row
Python texts (and as junheng.display prints each figure): the JSON must not change by a byte."""

from __future__ import annotations

import math
import random
from pathlib import Path

import polars as pl
import pytest

from conftest import county_row, junior_school, primary_school
from junheng.display import fmt, quoted
from junheng.engine.frames import evaluate_frames, rules_by_part
from junheng.engine.quality import recognition_warnings
from junheng.engine.quality_texts import warnings_expr
from junheng.engine.texts import fmt_e, names_e, num_e, quoted_e, rate_e
from junheng.reader import dataset_from_records
from junheng.standard import Standard, load_standard

c = pl.col


def _one(expr: pl.Expr, **columns: list[object]) -> list[object]:
    return pl.DataFrame(columns, strict=False).select(expr).to_series().to_list()


def test_figures_round_half_up_on_the_decimal_an_official_reads() -> None:
    x = [2.675, 0.0005, -0.004, 84.95, 5e-06, 1e-05, None, math.inf, 12.0, 1e16]
    assert _one(fmt_e(c("x"), 2), x=x)[:4] == ["2.68", "0.00", "0.00", "84.95"]
    assert _one(fmt_e(c("x"), 3), x=x)[1] == "0.001"
    assert _one(fmt_e(c("x"), 1), x=x)[3] == "85.0"
    assert _one(fmt_e(c("x"), 5), x=x)[4:6] == ["0.00001", "0.00001"]
    assert _one(fmt_e(c("x"), 2), x=x)[6:] == ["—", "—", "12.00", "10000000000000000.00"]
    assert _one(num_e(c("n")), n=[7, None]) == ["7", "＿＿"]


def test_a_figure_printed_on_the_threshold_carries_its_exact_value() -> None:
    assert _one(quoted_e(c("x"), "<=", 0.5, 3), x=[0.5004, 0.4996, 0.42]) == [
        "0.500（精确值0.5004）", "0.500", "0.420"]  # fmt: skip
    rates = rate_e(c("a"), c("b"), 0.85)
    assert _one(rates, a=[8496, 8500, 1, None], b=[10000, 10000, 0, 5]) == [
        "85.0%（精确值84.96%）", "85.0%", "＿＿%", "＿＿%"]  # fmt: skip
    assert _one(rate_e(c("a"), c("b")), a=[1], b=[3]) == ["33.3%"]


def test_school_names_list_the_first_five_then_how_many() -> None:
    names = [[f"第{i}小学" for i in range(1, 8)], ["甲校"], None]
    assert _one(names_e(c("n")), n=names) == [
        "第1小学、第2小学、第3小学、第4小学、第5小学等7所",
        "甲校",
        "",
    ]


def test_figures_match_display_on_many_values() -> None:
    rnd = random.Random(7)
    xs = [rnd.choice([rnd.uniform(-1e3, 1e3), round(rnd.uniform(0, 100), rnd.randint(0, 5)),
                      rnd.randint(0, 10**9) / rnd.choice([1, 8, 100, 1000]), rnd.uniform(0, 1e-4),
                      0.0, 2.675, 84.95, 0.5004, 0.49996, math.nan, math.inf])
          for _ in range(4000)]  # fmt: skip
    for d in range(0, 9):
        assert _one(fmt_e(c("x"), d), x=xs) == [fmt(x, d) for x in xs]
    for op, thr, d in ((">=", 95.0, 1), ("<=", 0.5, 3), ("<", 85.0, 1)):
        assert _one(quoted_e(c("x"), op, thr, d), x=xs) == [quoted(x, op, thr, d) for x in xs]


def _counties(standard: str) -> tuple[pl.DataFrame, Standard]:
    """The county frame of a few counties, then with seeded blanks, zeros and odd values in
    every column, so that each branch of each detail is taken."""
    std = load_standard(standard)
    schools, counties = [], []
    for i in range(12):
        code = f"{370101 + i}"
        schools += [
            primary_school(10 * i + 1, county_code=code, students=300 + 17 * i),
            junior_school(10 * i + 500, county_code=code, students=900 - 31 * i),
        ]
        counties.append(county_row(county_code=code))
    frame = evaluate_frames(dataset_from_records(schools, counties, std), std).counties
    rnd = random.Random(11)
    frame = pl.concat([frame] * 40)

    def shaken(s: pl.Series) -> pl.Series:
        values = s.to_list()
        if s.dtype.is_numeric():
            odd = [None, 0, 1, 3, 95, 1000]
            values = [rnd.choice(odd) if rnd.random() < 0.3 else v for v in values]
            if s.dtype.is_float():
                values = [v * rnd.uniform(0.9, 1.1) if isinstance(v, float) else v for v in values]
        elif s.dtype == pl.Boolean or isinstance(s.dtype, pl.List):
            values = [None if rnd.random() < 0.2 else v for v in values]
        return pl.Series(s.name, values, dtype=s.dtype, strict=False)

    return frame.with_columns(shaken(frame[n]) for n in frame.columns if n != "county_code"), std


@pytest.mark.parametrize("standard", ["national-2017", "wenshang-2022", "displayed"])
def test_every_item_detail_reads_as_the_python_text(standard: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    if standard == "displayed":
        (tmp_path / "displayed.toml").write_text(
            'id = "displayed"\nextends = "wenshang-2022"\n[settings]\ncompare_at = "displayed"\n'
            'recognition_binding = ["sample", "valid"]\n', encoding="utf-8")  # fmt: skip
        monkeypatch.setenv("JUNHENG_STANDARDS_DIR", str(tmp_path))
    frame, std = _counties(standard)
    rows = frame.to_dicts()
    for rules in rules_by_part(std).values():
        for rule in rules:
            assert rule.text is not None, rule.key
            got = frame.select(rule.text(std)).to_series().to_list()
            assert got == [rule.detail(r, std) for r in rows], rule.key
    warnings = frame.select(warnings_expr(std)).to_series().to_list()
    assert warnings == [recognition_warnings(r, std) for r in rows]
