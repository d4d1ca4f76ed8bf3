"""What one worksheet's XML holds before any parser sees it: its real extent, and the cells
whose value cannot be read (formulas never calculated, error values).

The parser (calamine) allocates a sheet densely from its first to its last used cell, so a
single stray value at ``XFD1048576`` would ask for 512 GiB: the extent is checked against
the limits first. Everything here is a byte search at C speed, not an XML parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .errors import Finding, InputError
from .limits import Limits

_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_FAR = re.compile(rb'r="((?:[A-Z]{3}|[B-Z][A-Z])\d+|[A-Z]{1,2}\d{6,})"')
_VALUE_ENDS = (b"</v>", b"</t>", b":v>")
_CACHED = re.compile(rb"<(?:\w+:)?(?:v>[^<]|is>)")
_ERROR_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)<")
_ERROR_TYPE = re.compile(rb't="e"')
_NEAR = 4096
"""Bytes before a cell's content where its opening tag is looked for first."""
_CHUNK = 1 << 22
"""Bytes of XML looked at per step of the far-reference check: bounded temporary arrays."""
_PAD = 16

Bytes = npt.NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class CellIssue:
    """A cell whose value cannot be read: a formula never calculated or an error value."""

    row: int
    column: int
    ref: str
    message: str


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(index: int) -> str:
    out = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _split_ref(ref: bytes | str) -> tuple[int, int]:
    text = ref.decode() if isinstance(ref, bytes) else ref
    letters = text.rstrip("0123456789")
    return int(text[len(letters) :]), column_index(letters)


def _refuse(title: str, message: str, sheet: str) -> InputError:
    return InputError([Finding("sheet-too-large", title, message, sheet)])


def _upper(b: Bytes) -> npt.NDArray[np.bool_]:
    return (b >= 65) & (b <= 90)


def _far_candidates(data: bytes) -> bool:
    """Whether any ``r="…"`` may name a cell at column ≥ BA or row ≥ 100,000. Looser than
    :data:`_FAR` (a yes is then checked by it), and one vectorised pass over the bytes:
    every cell has an ``r="``, so a regex stops at each of them."""
    whole = np.frombuffer(data, np.uint8)
    for lo in range(0, len(whole), _CHUNK):
        n = min(_CHUNK, len(whole) - lo)
        w = whole[lo : lo + n + _PAD]
        if len(w) < n + _PAD:  # the last step: room to look past a reference at the end
            w = np.concatenate((w, np.zeros(n + _PAD - len(w), np.uint8)))
        at = np.flatnonzero((w[:n] == ord("r")) & (w[1 : n + 1] == ord("=")) & (w[2 : n + 2] == ord('"')))  # fmt: skip
        if not at.size:
            continue
        at += 3
        c1, c2, c3 = w[at], w[at + 1], w[at + 2]
        up1, up2 = _upper(c1), _upper(c2)
        far_column = up1 & up2 & ((c1 != ord("A")) | _upper(c3))  # [B-Z][A-Z] or [A-Z]{3}
        sixth = w[at + np.where(up2, 2, 1) + 5]  # the sixth character after the letters
        far_row = up1 & (sixth >= ord("0")) & (sixth <= ord("9"))
        if bool((far_column | far_row).any()):
            return True
    return False


def _cell_start(data: bytes, pos: int, lo: int = 0) -> int:
    """Where the cell holding *pos* opens: near it first, the whole range only if need be."""
    for start in (max(lo, pos - _NEAR), lo):
        found = max(data.rfind(b"<c ", start, pos), data.rfind(b"<c\t", start, pos), data.rfind(b":c ", start, pos))  # fmt: skip
        if found >= 0:
            return found
    return -1


def _last_value(data: bytes) -> tuple[int, str]:
    """(row, cell) of the last value in the sheet data, rows being in order."""
    hi = data.rfind(b"sheetData")
    hi = hi if hi > 0 else len(data)
    row = (0, "")
    for lo in (max(0, hi - 16 * _NEAR), 0):  # the last values sit at the end of the data
        for end in _VALUE_ENDS:
            pos = data.rfind(end, lo, hi)
            start = _cell_start(data, pos) if pos >= 0 else -1
            m = _REF.search(data, start, pos) if start >= 0 else None
            if m and int(m.group(2)) > row[0]:
                row = (int(m.group(2)), (m.group(1) + m.group(2)).decode())
        if row[0]:
            break
    return row


def _extent(data: bytes) -> tuple[tuple[int, str], tuple[int, str]]:
    """(last row, its cell) and (last column, its cell) holding a value, by byte search."""
    row = _last_value(data)
    # rows out of order and far columns: one pass over the references, looking only at
    # those at row ≥ 100,000 or column ≥ BA
    col = (0, "")
    if not _far_candidates(data):
        return row, col  # most sheets: nothing beyond column AZ or row 99,999
    for m in _FAR.finditer(data):
        r, cn = _split_ref(m.group(1))
        if (r > row[0] or cn > col[0]) and _valued(data, m.start()):
            if r > row[0]:
                row = (r, m.group(1).decode())
            if cn > col[0]:
                col = (cn, m.group(1).decode())
    return row, col


def _valued(data: bytes, ref_at: int) -> bool:
    end = data.find(b"</c>", ref_at)
    stop = data.find(b"/>", ref_at)
    if stop >= 0 and (end < 0 or stop < end) and data.find(b">", ref_at) > stop:
        return False  # <c r=".." s="1"/>: formatting only
    return _CACHED.search(data, ref_at, end if end >= 0 else len(data)) is not None


def check_extent(sheet: str, data: bytes, limits: Limits) -> None:
    """Refuse the sheet when its used area is beyond the row, column or cell limits."""
    (rows, rcell), (cols, ccell) = _extent(data)
    width = cols or 52  # no reference beyond AZ was found
    tail = "：请删除表格之外的内容（或将数据复制到新工作簿）后再导入"
    if rows > limits.max_rows:
        raise _refuse("工作表过大",
                      f"工作表“{sheet}”的单元格 {rcell} 有内容，表格因此达到 {rows:,} 行，超过上限 {limits.max_rows:,} 行"
                      f"{tail}；上限可用环境变量 JUNHENG_MAX_ROWS 调整", sheet)  # fmt: skip
    if cols > limits.max_columns:
        raise _refuse("工作表过大",
                      f"工作表“{sheet}”的单元格 {ccell} 有内容，表格因此达到 {cols:,} 列，超过上限 {limits.max_columns:,} 列"
                      f"{tail}；上限可用环境变量 JUNHENG_MAX_COLUMNS 调整", sheet)  # fmt: skip
    if rows * width > limits.max_cells:
        if not cols:  # the cheap bound was too rough: find the real last column
            cols = max((_split_ref(m.group(1) + m.group(2))[1] for m in _REF.finditer(data)), default=1)  # fmt: skip
        if rows * cols > limits.max_cells:
            raise _refuse("工作表过大",
                          f"工作表“{sheet}”有 {rows:,} 行 × {cols:,} 列，超过 {limits.max_cells:,} 个单元格的上限"
                          f"{tail}；上限可用环境变量 JUNHENG_MAX_CELLS 调整", sheet)  # fmt: skip


def _markers(data: bytes, lo: int, hi: int) -> list[int]:
    """Positions of formula elements and error-typed cells, by byte search for the rare
    ``f`` and ``t="e"`` (a regex for ``<f`` would stop at every ``<`` of the sheet)."""
    out: list[int] = []
    pos = data.find(b"f", lo, hi)
    while pos >= 0:
        if data[pos - 1 : pos] in (b"<", b":") and data[pos + 1 : pos + 2] in (b">", b" ", b"/"):
            out.append(pos - 1)
        pos = data.find(b"f", pos + 1, hi)
    out.extend(m.start() for m in _ERROR_TYPE.finditer(data, lo, hi))
    return sorted(out)


def cell_issues(data: bytes) -> list[CellIssue]:
    """Formulas without a cached result and error values, with their cells."""
    out: list[CellIssue] = []
    seen: set[str] = set()
    lo = max(data.find(b"sheetData"), 0)
    hi = data.rfind(b"sheetData")
    hi = hi if hi > lo else len(data)
    for pos in _markers(data, lo, hi):
        window = max(lo, pos - _NEAR)  # a cell's opening tag is never far before its content
        start = max(data.rfind(b"<c ", window, pos), data.rfind(b"<c\t", window, pos), data.rfind(b":c ", window, pos))  # fmt: skip
        end = data.find(b"</c>", pos, hi)
        ref_m = _REF.search(data, start, pos) if start >= 0 else None
        if ref_m is None or end < 0:
            continue
        ref = (ref_m.group(1) + ref_m.group(2)).decode()
        cell = data[start:end]
        head = cell[: cell.find(b">")]
        error = b't="e"' in head
        # a text formula may cache an empty string: <v></v> with t="str"
        cached = _CACHED.search(cell) is not None or (b't="str"' in head and b"<v" in cell)
        if ref in seen or not (error or not cached):
            continue
        seen.add(ref)
        if error:
            ev = _ERROR_VALUE.search(cell)
            shown = ev.group(1).decode(errors="replace") if ev else "错误值"
            msg = f"是公式错误“{shown}”：请在 Excel 中修正公式后再导入"
        else:
            msg = "公式没有计算结果：请在 Excel 中打开并保存后再导入"
        out.append(CellIssue(int(ref_m.group(2)), column_index(ref_m.group(1).decode()), ref, msg))  # fmt: skip
    return out
