"""Reading and validating the contract workbook into typed Polars frames.

Every problem is collected as a :class:`~junheng.errors.Finding` naming sheet, Excel
row, column and value; if there is any, the whole workbook is refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from .cells import CellError, Value, is_blank, parse_cell, show
from .contract import (
    CONSISTENCY,
    COUNTY_COLUMNS,
    COUNTY_CONSISTENCY,
    COUNTY_SHEET,
    SCHOOL_BY_KEY,
    SCHOOL_COLUMNS,
    SCHOOL_SHEET,
    SCHOOL_TYPES,
    TYPE_STAGES,
    Column,
    Kind,
    normalise_header,
)
from .errors import Finding, InputError
from .standard import Standard

_TYPE_NAMES = {v: k for k, v in SCHOOL_TYPES.items()}
_HEADER_SCAN_ROWS = 10
_STAGE_STUDENTS = {"primary": "p_students", "junior": "j_students"}


class _Invalid:
    """Marks a cell already reported as invalid, so no second finding is made for it."""


_INVALID: Any = _Invalid()
_SCHOOL_CODE = re.compile(r"^\d{10}$")
_COUNTY_CODE = re.compile(r"^\d{6}$")

_POLARS_TYPES: dict[Kind, Any] = {
    Kind.TEXT: pl.String,
    Kind.CHOICE: pl.String,
    Kind.INT: pl.Int64,
    Kind.NUMBER: pl.Float64,
    Kind.BOOL: pl.Boolean,
    Kind.LEVEL: pl.Int64,
}


@dataclass(frozen=True, slots=True)
class Dataset:
    """A validated workbook: one row per school and (optionally) one per county."""

    schools: pl.DataFrame
    counties: pl.DataFrame | None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """Raw cells of one sheet, rows counted from Excel row 1."""

    sheet: str
    rows: Sequence[Sequence[object]]


def _schema(columns: Sequence[Column]) -> dict[str, Any]:
    return {"_row": pl.Int64, **{c.key: _POLARS_TYPES[c.kind] for c in columns}}


def school_schema() -> dict[str, Any]:
    return _schema(SCHOOL_COLUMNS)


def county_schema(standard: Standard | None = None) -> dict[str, Any]:
    return _schema(county_columns(standard))


def county_columns(standard: Standard | None) -> tuple[Column, ...]:
    """The 区县 sheet's columns: the contract's plus one per local target of *standard*."""
    extra = tuple(
        Column(f"local_{t.key}", t.column, Kind.NUMBER, t.unit, note=f"本地目标：{t.title}")
        for t in (standard.local_targets if standard else ())
    )
    return COUNTY_COLUMNS + extra


def _parse_table(
    table: Table, columns: Sequence[Column], findings: list[Finding]
) -> tuple[dict[str, list[Value]], dict[str, int]]:
    """Typed columns of a sheet, plus where each header stands (for messages)."""
    first = columns[0]
    header_at = next(
        (
            i
            for i, row in enumerate(table.rows[:_HEADER_SCAN_ROWS])
            if any(normalise_header(c) == normalise_header(first.header) for c in row)
        ),
        None,
    )
    out: dict[str, list[Value]] = {"_row": [], **{c.key: [] for c in columns}}
    if header_at is None:
        findings.append(
            Finding("missing-column", "缺少必填列",
                    f"工作表“{table.sheet}”前{_HEADER_SCAN_ROWS}行中找不到表头“{first.header}”",
                    table.sheet, None, first.header)
        )  # fmt: skip
        return out, {}
    header_row = table.rows[header_at]
    position: dict[str, int] = {}
    wanted = {normalise_header(c.header): c for c in columns}
    for j, cell in enumerate(header_row):
        col = wanted.get(normalise_header(cell)) if not is_blank(cell) else None
        if col is not None and col.key not in position:
            position[col.key] = j
    for col in columns:
        if col.required and col.key not in position:
            findings.append(
                Finding("missing-column", "缺少必填列",
                        f"工作表“{table.sheet}”第{header_at + 1}行缺少必填列“{col.header}”",
                        table.sheet, header_at + 1, col.header)
            )  # fmt: skip
    for i in range(header_at + 1, len(table.rows)):
        row = table.rows[i]
        cells = {k: (row[j] if j < len(row) else None) for k, j in position.items()}
        if all(is_blank(v) for v in cells.values()):
            continue
        out["_row"].append(i + 1)
        for col in columns:
            raw = cells.get(col.key)
            value: Value = None
            if not is_blank(raw):
                try:
                    value = parse_cell(col, raw)
                except CellError as exc:
                    findings.append(_cell_finding(table.sheet, i + 1, col, raw, str(exc)))
                    value = _INVALID
            elif col.blank_is_zero:
                value = 0.0
            out[col.key].append(value)
    return out, position


def _cell_finding(sheet: str, row: int, col: Column, raw: object, expected: str) -> Finding:
    kind = "negative-number" if "负数" in expected else "invalid-value"
    if col.key == "type":
        kind = "unknown-school-type"
    return Finding(
        kind, "数据格式错误",
        f"工作表“{sheet}”第{row}行“{col.header}”列的值“{show(raw)}”有误：{expected}",
        sheet, row, col.header, show(raw),
    )  # fmt: skip


def _check_schools(data: dict[str, list[Value]], findings: list[Finding]) -> None:
    sheet = SCHOOL_SHEET
    seen: dict[str, int] = {}
    names: dict[str, tuple[str, int]] = {}
    rows: list[int] = data["_row"]  # type: ignore[assignment]
    for idx, row in enumerate(rows):
        rec: dict[str, Any] = {k: v[idx] for k, v in data.items()}

        def bad(
            kind: str,
            title: str,
            col: Column,
            msg: str,
            rec: dict[str, Value] = rec,
            row: Any = row,
        ) -> None:
            findings.append(Finding(kind, title, f"工作表“{sheet}”第{row}行“{col.header}”列{msg}",
                                    sheet, row, col.header, show(rec.get(col.key) or "")))  # fmt: skip

        code = rec["code"]
        if isinstance(code, str):
            if not _SCHOOL_CODE.match(code):
                bad(
                    "invalid-code",
                    "学校标识码有误",
                    SCHOOL_BY_KEY["code"],
                    f"的值“{code}”有误：应为10位数字的学校标识码",
                )
            elif code in seen:
                bad(
                    "duplicate-code",
                    "学校标识码重复",
                    SCHOOL_BY_KEY["code"],
                    f"的值“{code}”与第{seen[code]}行重复",
                )
            else:
                seen[code] = row
        cc = rec["county_code"]
        if isinstance(cc, str):
            if not _COUNTY_CODE.match(cc):
                bad(
                    "invalid-code",
                    "区县代码有误",
                    SCHOOL_BY_KEY["county_code"],
                    f"的值“{cc}”有误：应为6位数字的行政区划代码",
                )
            elif isinstance(rec["county_name"], str):
                prev = names.setdefault(cc, (rec["county_name"], row))
                if prev[0] != rec["county_name"]:
                    bad(
                        "county-name-mismatch",
                        "区县名称不一致",
                        SCHOOL_BY_KEY["county_name"],
                        f"的值“{rec['county_name']}”与第{prev[1]}行同一区县代码的名称“{prev[0]}”不一致",
                    )
        for col in SCHOOL_COLUMNS:
            if col.required and col.kind is Kind.TEXT and rec[col.key] in (None, ""):
                bad("missing-value", "缺少必填值", col, "为空：此项必须填写")
        stype = rec["type"]
        if isinstance(stype, str):
            stages = TYPE_STAGES[stype]
            for col in SCHOOL_COLUMNS:
                needed = (
                    col.stage in stages
                    or (col.stage == "any" and stype != "special")
                    or (
                        stype != "special"
                        and col.stage in _STAGE_STUDENTS
                        and (rec[_STAGE_STUDENTS[col.stage]] or 0) > 0
                    )
                )
                if needed and rec[col.key] is None:
                    bad(
                        "missing-value",
                        "缺少必填值",
                        col,
                        f"为空：办学类型为“{_TYPE_NAMES[stype]}”的学校必须填写此项",
                    )
        teachers = _sum(rec.get("p_teachers"), rec.get("j_teachers"))
        for part, whole in CONSISTENCY:
            pv = rec.get(part)
            wv = teachers if whole == "teachers" else rec.get(whole)
            if isinstance(pv, int | float) and isinstance(wv, int | float) and pv > wv + 1e-9:
                wname = (
                    "小学与初中专任教师数之和"
                    if whole == "teachers"
                    else SCHOOL_BY_KEY[whole].header
                )
                bad(
                    "exceeds-total",
                    "数量超过总数",
                    SCHOOL_BY_KEY[part],
                    f"的值“{show(pv)}”超过了{wname}（{show(wv)}）",
                )


def _check_counties(
    data: dict[str, list[Value]], columns: Sequence[Column], findings: list[Finding]
) -> None:
    by_key = {c.key: c for c in columns}
    seen: dict[str, int] = {}
    rows: list[int] = data["_row"]  # type: ignore[assignment]
    for idx, row in enumerate(rows):
        rec: dict[str, Any] = {k: v[idx] for k, v in data.items()}
        cc = rec["county_code"]
        col = by_key["county_code"]
        if cc in (None, ""):
            findings.append(Finding("missing-value", "缺少必填值",
                                    f"工作表“{COUNTY_SHEET}”第{row}行“{col.header}”列为空：此项必须填写",
                                    COUNTY_SHEET, row, col.header, ""))  # fmt: skip
        elif not _COUNTY_CODE.match(str(cc)):
            findings.append(Finding("invalid-code", "区县代码有误",
                                    f"工作表“{COUNTY_SHEET}”第{row}行“{col.header}”列的值“{cc}”有误：应为6位数字的行政区划代码",
                                    COUNTY_SHEET, row, col.header, str(cc)))  # fmt: skip
        elif cc in seen:
            findings.append(Finding("duplicate-code", "区县代码重复",
                                    f"工作表“{COUNTY_SHEET}”第{row}行“{col.header}”列的值“{cc}”与第{seen[str(cc)]}行重复",
                                    COUNTY_SHEET, row, col.header, str(cc)))  # fmt: skip
        else:
            seen[str(cc)] = row
        for part, whole in COUNTY_CONSISTENCY:
            pv, wv = rec.get(part), rec.get(whole)
            if isinstance(pv, int | float) and isinstance(wv, int | float) and pv > wv:
                pc = by_key[part]
                findings.append(Finding("exceeds-total", "数量超过总数",
                                        f"工作表“{COUNTY_SHEET}”第{row}行“{pc.header}”列的值“{show(pv)}”超过了“{by_key[whole].header}”（{show(wv)}）",
                                        COUNTY_SHEET, row, pc.header, show(pv)))  # fmt: skip


def _sum(*vals: Value) -> int | None:
    nums = [v for v in vals if isinstance(v, int) and not isinstance(v, bool)]
    return sum(nums) if nums else None


def build_dataset(
    school: Table, county: Table | None, standard: Standard | None = None, source: str = ""
) -> Dataset:
    """Validate raw sheet cells and return typed frames, or raise :class:`InputError`."""
    findings: list[Finding] = []
    sdata, _ = _parse_table(school, SCHOOL_COLUMNS, findings)
    if not findings and not sdata["_row"]:
        findings.append(Finding("empty-sheet", "没有数据",
                                f"工作表“{school.sheet}”没有任何学校数据行", school.sheet))  # fmt: skip
    _check_schools(sdata, findings)
    cdata: dict[str, list[Value]] | None = None
    ccols = county_columns(standard)
    if county is not None:
        cdata, _ = _parse_table(county, ccols, findings)
        _check_counties(cdata, ccols, findings)
    if findings:
        findings.sort(key=lambda f: (f.sheet != SCHOOL_SHEET, f.row or 0))
        raise InputError(findings)
    schools = pl.DataFrame(sdata, schema=_schema(SCHOOL_COLUMNS), strict=False)
    counties = None
    if cdata is not None:
        counties = pl.DataFrame(cdata, schema=_schema(ccols), strict=False)
    return Dataset(schools, counties, source)


def _load_tables(path: Path) -> dict[str, Sequence[Sequence[object]]]:
    try:
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(path))
        return {
            name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in wb.sheet_names
        }
    except Exception:  # calamine refuses some writer quirks; openpyxl reads them
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}


def read_workbook(path: str | Path, standard: Standard | None = None) -> Dataset:
    """Read the contract workbook at *path* (xlsx/xls/ods) or raise :class:`InputError`."""
    path = Path(path)
    if not path.exists():
        raise InputError([Finding("file-not-found", "文件不存在", f"找不到文件“{path}”")])
    try:
        tables = _load_tables(path)
    except Exception as exc:
        raise InputError([Finding("unreadable-file", "无法读取文件",
                                  f"无法读取“{path.name}”：不是有效的Excel文件（{exc}）")]) from exc  # fmt: skip
    by_name = {normalise_header(k): k for k in tables}
    if SCHOOL_SHEET not in by_name:
        raise InputError([Finding("missing-sheet", "缺少工作表",
                                  f"文件“{path.name}”中没有名为“{SCHOOL_SHEET}”的工作表"
                                  f"（现有：{'、'.join(tables) or '无'}）", SCHOOL_SHEET)])  # fmt: skip
    sname = by_name[SCHOOL_SHEET]
    school = Table(sname, tables[sname])
    county = None
    if COUNTY_SHEET in by_name:
        cname = by_name[COUNTY_SHEET]
        county = Table(cname, tables[cname])
    return build_dataset(school, county, standard, source=str(path))


def _as_cell(value: object) -> object:
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def dataset_from_records(
    schools: Sequence[dict[str, object]],
    counties: Sequence[dict[str, object]] | None = None,
    standard: Standard | None = None,
    source: str = "",
) -> Dataset:
    """Validate records keyed by contract keys (display values, e.g. type "小学"), as if read
    from a workbook with the contract's headers: the same checks and the same messages."""

    def table(sheet: str, columns: Sequence[Column], rows: Sequence[dict[str, object]]) -> Table:
        header: list[object] = [c.header for c in columns]
        body = [[_as_cell(r.get(c.key)) for c in columns] for r in rows]
        return Table(sheet, [header, *body])

    county = None
    if counties is not None:
        county = table(COUNTY_SHEET, county_columns(standard), counties)
    return build_dataset(table(SCHOOL_SHEET, SCHOOL_COLUMNS, schools), county, standard, source)
