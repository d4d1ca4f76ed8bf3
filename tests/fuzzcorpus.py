"""A seeded corpus of bad (and some good) workbooks, the same bytes for the same seed:
wrong types, formulas without results, merged and repeated headers, empty and huge sheets,
stray far cells, damaged zips, zip bombs, renamed files, encrypted files and macros.

``case(seed)`` cycles through the kinds, so the first ``len(KINDS)`` seeds hold one of
each; ``cases(n)`` is the slice a test runs (``JUNHENG_FUZZ_CASES``, all 300 with
``JUNHENG_FUZZ_FULL=1``)."""

from __future__ import annotations

import io
import os
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from conftest import county_row, junior_school, primary_school
from junheng.contract import COUNTY_COLUMNS, SCHOOL_COLUMNS
from rawxlsx import ErrorValue, Formula, school_row, sheet_xml, write

FULL = 300
JUNK: list[object] = [
    "", " ", "/", "无", "abc", -5, -0.5, 1e12, 3.7, 0.5, "1e999", "inf", "nan", "１２３",
    "\u200b", "12,345", True, "是", Formula("SUM(A1:A2)"), Formula("A1*2", 7.0),
    ErrorValue(), ErrorValue("#N/A"), "=A1", "x" * 300, "Ⅳ", 2**40, 1e-300,
]  # fmt: skip
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Case:
    seed: int
    kind: str
    filename: str
    data: bytes

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.seed:03d}-{self.filename}"
        path.write_bytes(self.data)
        return path


def _grids(rng: random.Random) -> tuple[list[list[object]], list[list[object]]]:
    schools = [primary_school(1, students=rng.choice([800, 1000, 1200])), junior_school(),
               primary_school(2, type="九年一贯制学校", j_students=300, j_classes=7, j_teachers=25,
                              j_qualified=20, j_backbone=5, j_pe_art=4)]  # fmt: skip
    grid: list[list[object]] = [[c.header for c in SCHOOL_COLUMNS], *[school_row(s) for s in schools]]  # fmt: skip
    crow = county_row()
    values = [crow.get(c.key) for c in COUNTY_COLUMNS]
    cgrid: list[list[object]] = [
        [c.header for c in COUNTY_COLUMNS],
        [("是" if v else "否") if isinstance(v, bool) else v for v in values],
    ]
    return grid, cgrid


def _package(grid: list[list[object]], cgrid: list[list[object]] | None,
             extra: dict[str, object] | None = None, school_xml: str | None = None) -> bytes:  # fmt: skip
    sheets = {"学校": school_xml or sheet_xml(grid, extra)}
    if cgrid is not None:
        sheets["区县"] = sheet_xml(cgrid)
    buf = io.BytesIO()
    write(buf, sheets)  # type: ignore[arg-type]  # zipfile takes a file object too
    return buf.getvalue()


def _rezip(data: bytes, change: Callable[[dict[str, bytes]], None]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    change(parts)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return buf.getvalue()


def _wrong_types(rng: random.Random) -> tuple[str, bytes]:
    grid, cgrid = _grids(rng)
    for _ in range(rng.randint(1, 3)):
        target = grid if rng.random() < 0.8 else cgrid
        row = target[rng.randrange(1, len(target))]
        row[rng.randrange(len(row))] = rng.choice(JUNK)
    return "类型错误.xlsx", _package(grid, cgrid)


def _formulas(rng: random.Random) -> tuple[str, bytes]:
    grid, cgrid = _grids(rng)
    col = rng.randrange(8, len(grid[0]))
    grid[rng.randrange(1, len(grid))][col] = rng.choice(
        [Formula("SUM(P3:P9)"), Formula("1/0"), ErrorValue("#REF!"), Formula("A1", 60.0)]
    )
    return "公式.xlsx", _package(grid, cgrid)


def _merged_header(rng: random.Random) -> tuple[str, bytes]:
    grid, cgrid = _grids(rng)
    j = rng.randrange(1, len(grid[0]) - 1)
    grid[0][j + 1] = None  # a merged cell keeps its value in the first cell only
    a, b = _letters(j + 1), _letters(j + 2)
    xml = sheet_xml(grid).replace("</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{a}1:{b}1"/></mergeCells>')  # fmt: skip
    if rng.random() < 0.5:  # a title row merged across the top, the header below it
        grid.insert(0, ["县域义务教育学校基本情况"])
        xml = sheet_xml(grid).replace("</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A1:Z1"/></mergeCells>')  # fmt: skip
    return "合并表头.xlsx", _package(grid, cgrid, school_xml=xml)


def _letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _repeated_header(rng: random.Random) -> tuple[str, bytes]:
    grid, cgrid = _grids(rng)
    choice = rng.randrange(3)
    if choice == 0:  # the header again under the data, as when two sheets were pasted together
        grid.insert(rng.randrange(2, len(grid) + 1), list(grid[0]))
    elif choice == 1:  # one column twice
        j = rng.randrange(len(grid[0]))
        grid[0].append(grid[0][j])
        for row in grid[1:]:
            row.append(row[j] if j < len(row) else None)
    else:  # the same school twice
        grid.append(list(grid[1]))
    return "重复表头.xlsx", _package(grid, cgrid)


def _empty(rng: random.Random) -> tuple[str, bytes]:
    grid, cgrid = _grids(rng)
    shape = rng.randrange(3)
    if shape == 0:
        return "空表.xlsx", _package([], None)
    if shape == 1:
        return "只有表头.xlsx", _package(grid[:1], cgrid)
    return "只有区县.xlsx", _package(grid[:1], cgrid if rng.random() < 0.5 else cgrid[:1])


def _huge(rng: random.Random) -> tuple[str, bytes]:
    grid, cgrid = _grids(rng)
    if rng.random() < 0.5:  # past the row limit: refused by the limit, never allocated
        return "超大表.xlsx", _package(grid, cgrid, {f"A{200_001 + rng.randrange(1000)}": 1})
    # many real schools: read whole
    base = grid[1]
    for i in range(4, 4 + rng.choice([200, 600])):
        row = list(base)
        row[0] = f"1370830{i:03d}" if i < 1000 else f"137083{i:04d}"
        row[1] = f"第{i}小学"
        grid.append(row)
    return "大表.xlsx", _package(grid, cgrid)


def _far_cell(rng: random.Random) -> tuple[str, bytes]:
    grid, cgrid = _grids(rng)
    ref = rng.choice(["XFD1048576", "ZZ5000", "AZ50", "A1048576", "XFD2"])
    return "远处单元格.xlsx", _package(grid, cgrid, {ref: rng.choice(["x", 1, " "])})


def _corrupt(rng: random.Random) -> tuple[str, bytes]:
    grid, cgrid = _grids(rng)
    data = bytearray(_package(grid, cgrid))
    how = rng.randrange(3)
    if how == 0:
        data = data[: rng.randrange(4, len(data))]
    elif how == 1:
        for _ in range(rng.randint(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    else:
        data = bytearray(_rezip(bytes(data), lambda p: p.__setitem__("xl/workbook.xml", b"<workbook")))  # fmt: skip
    return "损坏.xlsx", bytes(data)


def _bomb(rng: random.Random) -> tuple[str, bytes]:
    grid, cgrid = _grids(rng)
    data = _package(grid, cgrid)
    if rng.random() < 0.5:  # a padding part of zeros

        def pad(parts: dict[str, bytes]) -> None:
            parts["xl/media/pad.bin"] = b"\0" * (rng.choice([40, 120]) << 20)

    else:  # the sheet itself blown up with blanks between its rows

        def pad(parts: dict[str, bytes]) -> None:
            sheet = parts["xl/worksheets/sheet1.xml"]
            parts["xl/worksheets/sheet1.xml"] = sheet.replace(b"</row>", b"</row>" + b" " * (30 << 20), 1)  # fmt: skip

    return "压缩炸弹.xlsx", _rezip(data, pad)


def _renamed(rng: random.Random) -> tuple[str, bytes]:
    grid, cgrid = _grids(rng)
    how = rng.randrange(5)
    if how == 0:  # a CSV saved under a workbook's name
        text = "\n".join(",".join("" if v is None else str(v) for v in row) for row in grid)
        return "其实是csv.xlsx", text.encode("utf-8-sig")
    if how == 1:  # an old binary (OLE) file that is not a workbook the parser knows
        return "其实是doc.xlsx", _OLE + bytes(rng.randrange(256) for _ in range(4096))
    if how == 2:  # a real workbook under the .xls name: read by its content
        return "旧格式.xls", _package(grid, cgrid)
    if how == 3:
        return "网页.xlsx", b"<html><body><table><tr><td>1</td></tr></table></body></html>"
    return "图片.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(64)


def _encrypted(rng: random.Random) -> tuple[str, bytes]:
    body = bytes(rng.randrange(256) for _ in range(512)) + "EncryptedPackage".encode("utf-16-le")
    return rng.choice(["加密.xlsx", "加密.xls"]), _OLE + body + bytes(512)


def _macros(rng: random.Random) -> tuple[str, bytes]:
    grid, cgrid = _grids(rng)

    def add(parts: dict[str, bytes]) -> None:
        parts["xl/vbaProject.bin"] = _OLE + b"Attribute VB_Name = \"Module1\"\nSub AutoOpen()\nShell \"calc\"\nEnd Sub"  # fmt: skip
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
        ).replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')  # fmt: skip

    return "宏.xlsm", _rezip(_package(grid, cgrid), add)


def _valid(rng: random.Random) -> tuple[str, bytes]:
    grid, cgrid = _grids(rng)
    return "正常.xlsx", _package(grid, cgrid if rng.random() < 0.7 else None)


KINDS: dict[str, Callable[[random.Random], tuple[str, bytes]]] = {
    "wrong-types": _wrong_types, "formulas": _formulas, "merged-header": _merged_header,
    "repeated-header": _repeated_header, "empty": _empty, "huge": _huge,
    "far-cell": _far_cell, "corrupt": _corrupt, "zip-bomb": _bomb, "renamed": _renamed,
    "encrypted": _encrypted, "macros": _macros, "valid": _valid,
}  # fmt: skip


def case(seed: int) -> Case:
    kind = list(KINDS)[seed % len(KINDS)]
    filename, data = KINDS[kind](random.Random(seed))
    return Case(seed, kind, filename, data)


def cases(default: int) -> list[int]:
    """Seeds a test runs: *default* in CI, ``JUNHENG_FUZZ_CASES`` or the whole corpus."""
    if os.environ.get("JUNHENG_FUZZ_FULL"):
        return list(range(FULL))
    return list(range(int(os.environ.get("JUNHENG_FUZZ_CASES") or default)))
