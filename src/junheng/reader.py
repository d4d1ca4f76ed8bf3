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

from .cells import is_blank, show
from .columns import Parsed, parse_columns
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
from .intake import load
from .limits import Limits
from .sheetxml import CellIssue, column_letters
from .standard import Standard

_TYPE_NAMES = {v: k for k, v in SCHOOL_TYPES.items()}
_HEADER_SCAN_ROWS = 10
_STAGE_STUDENTS = {"primary": "p_students", "junior": "j_students"}


_SCHOOL_CODE = r"^\d{10}$"
_COUNTY_CODE = r"^\d{6}$"
_COUNTY_CODE_RE = re.compile(_COUNTY_CODE)
c = pl.col

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


def _header_row(table: Table, first: Column) -> int | None:
    want = normalise_header(first.header)
    for i, row in enumerate(table.rows[:_HEADER_SCAN_ROWS]):
        if any(normalise_header(c) == want for c in row if not is_blank(c)):
            return i
    return None


def _parse_table(
    table: Table,
    columns: Sequence[Column],
    findings: list[Finding],
    limits: Limits | None,
    issues: Sequence[CellIssue] = (),
) -> Parsed | None:
    """Typed columns of a sheet, or None when its header row cannot be found."""
    first = columns[0]
    header_at = _header_row(table, first)
    if header_at is None:
        findings.append(
            Finding("missing-column", "缺少必填列",
                    f"工作表“{table.sheet}”前{_HEADER_SCAN_ROWS}行中找不到表头“{first.header}”",
                    table.sheet, None, first.header)
        )  # fmt: skip
        return None
    position: dict[str, int] = {}
    wanted = {normalise_header(c.header): c for c in columns}
    for j, cell in enumerate(table.rows[header_at]):
        col = wanted.get(normalise_header(cell)) if not is_blank(cell) else None
        if col is None:
            continue
        if col.key in position:
            findings.append(
                Finding("duplicate-column", "表头重复",
                        f"工作表“{table.sheet}”第{header_at + 1}行的表头“{col.header}”出现了两次"
                        f"（第{column_letters(position[col.key] + 1)}列和第{column_letters(j + 1)}列）：请删除多余的一列",
                        table.sheet, header_at + 1, col.header)
            )  # fmt: skip
        else:
            position[col.key] = j
    for col in columns:
        if col.required and col.key not in position:
            findings.append(
                Finding("missing-column", "缺少必填列",
                        f"工作表“{table.sheet}”第{header_at + 1}行缺少必填列“{col.header}”",
                        table.sheet, header_at + 1, col.header)
            )  # fmt: skip
    by_index = {j: k for k, j in position.items()}
    headers = {c.key: c.header for c in columns}
    unread: dict[str, list[int]] = {}
    for issue in issues:
        key = by_index.get(issue.column - 1)
        if key is not None and issue.row > header_at + 1:
            unread.setdefault(key, []).append(issue.row)
            findings.append(
                Finding("formula-error", "公式没有结果",
                        f"工作表“{table.sheet}”第{issue.row}行“{headers[key]}”列（单元格 {issue.ref}）{issue.message}",
                        table.sheet, issue.row, headers[key], issue.ref)
            )  # fmt: skip
    parsed = parse_columns(table.sheet, table.rows[header_at + 1 :], header_at + 2, position, columns, limits)  # fmt: skip
    findings.extend(parsed.findings)
    # columns absent from the sheet come back untyped; the checks need their real types
    parsed = Parsed(parsed.values.cast(_schema(columns)), parsed.invalid, parsed.findings)  # type: ignore[arg-type]
    if unread:  # already reported: not "missing" as well
        invalid = parsed.invalid.with_columns(
            **{k: c(k) | c("_row").is_in(rows) for k, rows in unread.items()}
        )
        parsed = Parsed(parsed.values, invalid, parsed.findings)
    return parsed


def _finding(sheet: str, kind: str, title: str, frame: pl.DataFrame, col: Column, msg: str,
             value: str = "value") -> list[Finding]:  # fmt: skip
    """One finding per row of *frame* (``_row``, ``value`` and the names *msg* uses)."""
    out = []
    for rec in frame.iter_rows(named=True):
        shown = "" if rec.get(value) is None else show(rec[value])
        out.append(Finding(kind, title, f"工作表“{sheet}”第{rec['_row']}行“{col.header}”列{msg.format(**rec, shown=shown)}",
                           sheet, rec["_row"], col.header, shown))  # fmt: skip
    return out


def _check_schools(p: Parsed) -> list[Finding]:
    sheet, v, bad = SCHOOL_SHEET, p.values, p.invalid
    out: list[Finding] = []
    by = SCHOOL_BY_KEY
    code_ok = c("code").str.contains(_SCHOOL_CODE)
    out += _finding(sheet, "invalid-code", "学校标识码有误",
                    v.filter(c("code").is_not_null() & ~code_ok).select("_row", value="code"),
                    by["code"], "的值“{shown}”有误：应为10位数字的学校标识码")  # fmt: skip
    dup = v.filter(code_ok).with_columns(first=c("_row").min().over("code")).filter(c("_row") != c("first"))  # fmt: skip
    out += _finding(sheet, "duplicate-code", "学校标识码重复", dup.select("_row", "first", value="code"),
                    by["code"], "的值“{shown}”与第{first}行重复")  # fmt: skip
    cc_ok = c("county_code").str.contains(_COUNTY_CODE)
    out += _finding(sheet, "invalid-code", "区县代码有误",
                    v.filter(c("county_code").is_not_null() & ~cc_ok).select("_row", value="county_code"),
                    by["county_code"], "的值“{shown}”有误：应为6位数字的行政区划代码")  # fmt: skip
    named = v.filter(cc_ok & c("county_name").is_not_null())
    firsts = named.group_by("county_code", maintain_order=True).agg(
        first_name=c("county_name").first(), first_row=c("_row").first()
    )
    clash = named.join(firsts, on="county_code").filter(c("county_name") != c("first_name"))
    out += _finding(sheet, "county-name-mismatch", "区县名称不一致",
                    clash.select("_row", "first_name", "first_row", value="county_name"), by["county_name"],
                    "的值“{shown}”与第{first_row}行同一区县代码的名称“{first_name}”不一致")  # fmt: skip
    missing = v.with_columns(_type=c("type"), **{f"_bad_{k}": bad[k] for k in v.columns if k != "_row"})  # fmt: skip
    teachers = pl.when(c("p_teachers").is_not_null() | c("j_teachers").is_not_null()).then(
        c("p_teachers").fill_null(0) + c("j_teachers").fill_null(0)
    )
    # every check's rows as a mask, and which masks hold any row in one query: a clean sheet
    # then costs one pass, not a filter per column
    checks: list[tuple[str, Column, pl.Expr, str]] = []
    for col in SCHOOL_COLUMNS:
        blank = c(col.key).is_null() & ~c(f"_bad_{col.key}")
        if col.required and (col.kind is Kind.TEXT or col.key == "type"):
            checks.append(("required", col, blank, ""))
        if col.stage is None:
            continue
        needed = c("type").is_in([t for t, st in TYPE_STAGES.items() if col.stage in st])
        if col.stage == "any":
            needed = c("type") != "special"
        elif col.stage in _STAGE_STUDENTS:
            needed = needed | ((c("type") != "special") & (c(_STAGE_STUDENTS[col.stage]).fill_null(0) > 0))  # fmt: skip
        checks.append(("stage", col, c("type").is_not_null() & needed & blank, ""))
    for part, whole in CONSISTENCY:
        wv = teachers if whole == "teachers" else c(whole)
        checks.append(("exceeds", by[part], c(part) > wv + 1e-9, whole))
    hits = missing.select(m.any().alias(str(i)) for i, (_, _, m, _) in enumerate(checks)).row(0)  # fmt: skip
    for (kind, col, mask, whole), hit in zip(checks, hits, strict=True):
        if not hit:
            continue
        if kind == "required":
            out += _finding(sheet, "missing-value", "缺少必填值", missing.filter(mask).select("_row"), col, "为空：此项必须填写")  # fmt: skip
        elif kind == "stage":
            rows = missing.filter(mask)
            rows = rows.with_columns(type_name=c("type").replace_strict(_TYPE_NAMES, return_dtype=pl.String))  # fmt: skip
            out += _finding(sheet, "missing-value", "缺少必填值", rows.select("_row", "type_name"), col,
                            "为空：办学类型为“{type_name}”的学校必须填写此项")  # fmt: skip
        else:
            wv = teachers if whole == "teachers" else c(whole)
            wname = "小学与初中专任教师数之和" if whole == "teachers" else by[whole].header
            over = v.select("_row", value=c(col.key), whole=wv).filter(
                c("value") > c("whole") + 1e-9
            )
            over = over.with_columns(
                whole_shown=c("whole").map_elements(show, return_dtype=pl.String)
            )
            out += _finding(sheet, "exceeds-total", "数量超过总数", over, col,
                            f"的值“{{shown}}”超过了{wname}（{{whole_shown}}）")  # fmt: skip
    return out


def _check_counties(p: Parsed, columns: Sequence[Column]) -> list[Finding]:
    findings: list[Finding] = []
    by_key = {c.key: c for c in columns}
    seen: dict[str, int] = {}
    data = p.values.to_dict(as_series=False)
    rows: list[int] = data["_row"]
    for idx, row in enumerate(rows):
        rec: dict[str, Any] = {k: v[idx] for k, v in data.items()}
        cc = rec["county_code"]
        col = by_key["county_code"]
        # an invalid cell already has its own error; the code checks need a valid one
        if not p.invalid["county_code"][idx]:
            if cc in (None, ""):
                findings.append(Finding("missing-value", "缺少必填值",
                                        f"工作表“{COUNTY_SHEET}”第{row}行“{col.header}”列为空：此项必须填写",
                                        COUNTY_SHEET, row, col.header, ""))  # fmt: skip
            elif not _COUNTY_CODE_RE.match(str(cc)):
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
    return findings


def build_dataset(
    school: Table,
    county: Table | None,
    standard: Standard | None = None,
    source: str = "",
    issues: dict[str, list[CellIssue]] | None = None,
    limits: Limits | None = None,
) -> Dataset:
    """Validate raw sheet cells and return typed frames, or raise :class:`InputError`.
    With *limits*, per-school values beyond the plausibility limits are refused too."""
    issues = issues or {}
    findings: list[Finding] = []
    sp = _parse_table(school, SCHOOL_COLUMNS, findings, limits, issues.get(school.sheet, ()))
    if sp is not None and not findings and sp.values.height == 0:
        findings.append(Finding("empty-sheet", "没有数据",
                                f"工作表“{school.sheet}”没有任何学校数据行", school.sheet))  # fmt: skip
    if sp is not None:
        findings += _check_schools(sp)
    ccols = county_columns(standard)
    cp = None
    if county is not None:
        cp = _parse_table(county, ccols, findings, None, issues.get(county.sheet, ()))
        if cp is not None:
            findings += _check_counties(cp, ccols)
    if findings or sp is None:
        findings.sort(key=lambda f: (f.sheet != SCHOOL_SHEET, f.row or 0))
        raise InputError(findings)
    schools = sp.values.cast(_schema(SCHOOL_COLUMNS))  # type: ignore[arg-type]
    counties = None
    if county is not None:
        schema = _schema(ccols)
        counties = cp.values.cast(schema) if cp is not None else pl.DataFrame(schema=schema)  # type: ignore[arg-type]
    return Dataset(schools, counties, source)


def read_workbook(
    path: str | Path, standard: Standard | None = None, limits: Limits | None = None
) -> Dataset:
    """Read the contract workbook at *path* (xlsx/xls/ods) or raise :class:`InputError`."""
    path = Path(path)
    limits = limits or Limits.from_env()
    if not path.is_file():
        raise InputError([Finding("file-not-found", "文件不存在", f"找不到文件“{path}”")])
    loaded = load(path, {SCHOOL_SHEET, COUNTY_SHEET}, limits)
    tables = loaded.rows
    by_name = {normalise_header(k): k for k in tables}
    if SCHOOL_SHEET not in by_name:
        raise InputError([Finding("missing-sheet", "缺少工作表",
                                  f"文件“{path.name}”中没有名为“{SCHOOL_SHEET}”的工作表"
                                  f"（现有：{'、'.join(loaded.sheet_names) or '无'}）", SCHOOL_SHEET)])  # fmt: skip
    sname = by_name[SCHOOL_SHEET]
    school = Table(sname, tables[sname])
    county = None
    if COUNTY_SHEET in by_name:
        cname = by_name[COUNTY_SHEET]
        county = Table(cname, tables[cname])
    return build_dataset(school, county, standard, str(path), loaded.issues, limits)


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
