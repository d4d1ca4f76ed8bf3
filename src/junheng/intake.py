"""Opening a workbook safely: what the file really is, whether it is within the limits,
and only then the cells of the sheets the contract reads.

The parser (calamine) allocates a sheet densely from its first to its last used cell, so
a single stray value at ``XFD1048576`` would ask for 512 GiB. For .xlsx the sheet XML is
scanned first (C-speed byte searches, not a parse) for its real extent, for formulas
without a cached result and for error values; other sheets are never opened. .xls and
.ods are parsed in a child process with a memory cap, as their extent cannot be scanned
cheaply.
"""

from __future__ import annotations

import io
import pickle
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from .contract import normalise_header
from .errors import Finding, InputError
from .limits import Limits

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_FAR = re.compile(rb'r="((?:[A-Z]{3}|[B-Z][A-Z])\d+|[A-Z]{1,2}\d{6,})"')
# what _FAR finds, looser and split in two: each a quick scan, where the alternation is not
_FAR_COLUMN = re.compile(rb'r="(?:[A-Z]{3}|[B-Z][A-Z])\d')
_FAR_ROW = re.compile(rb'r="[A-Z]{1,2}\d{6}')
_VALUE_ENDS = (b"</v>", b"</t>", b":v>")
_CACHED = re.compile(rb"<(?:\w+:)?(?:v>[^<]|is>)")
_ERROR_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)<")


@dataclass(frozen=True, slots=True)
class CellIssue:
    """A cell whose value cannot be read: a formula never calculated or an error value."""

    row: int
    column: int
    ref: str
    message: str


@dataclass(slots=True)
class Loaded:
    rows: dict[str, list[list[object]]] = field(default_factory=dict)
    """Cells of each wanted sheet found, by its name as written in the file."""
    issues: dict[str, list[CellIssue]] = field(default_factory=dict)
    sheet_names: list[str] = field(default_factory=list)


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


def _refuse(kind: str, title: str, message: str, sheet: str | None = None) -> InputError:
    return InputError([Finding(kind, title, message, sheet)])


def _split_ref(ref: bytes | str) -> tuple[int, int]:
    text = ref.decode() if isinstance(ref, bytes) else ref
    letters = text.rstrip("0123456789")
    return int(text[len(letters) :]), column_index(letters)


def sniff(path: Path, limits: Limits) -> str:
    """'xlsx', 'ods' or 'xls' by the file's content, or refuse it with the reason."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _refuse("unreadable-file", "无法读取文件", f"无法读取“{name}”：{exc.strerror or '文件无法打开'}") from exc  # fmt: skip
    if size == 0:
        raise _refuse("empty-file", "文件是空的", f"文件“{name}”是空的（0 字节）")
    if size > limits.max_file_bytes:
        raise _refuse("file-too-large", "文件过大",
                      f"文件“{name}”有 {size / 1024 / 1024:.0f} MB，超过上限 {limits.max_file_mb} MB"
                      "；上限可用环境变量 JUNHENG_MAX_FILE_MB 调整")  # fmt: skip
    with path.open("rb") as fh:
        head = fh.read(8)
        if head == _OLE:
            # an encrypted .xlsx is an OLE container holding an EncryptedPackage stream
            fh.seek(0)
            if _ENCRYPTED in fh.read():
                raise _password(name)
            return "xls"
    if head.startswith(_ZIP):
        return "zip"
    raise _refuse("unreadable-file", "不是Excel文件",
                  f"文件“{name}”不是Excel工作簿：只能读取 .xlsx、.xls 或 .ods 文件，请在 Excel 中另存为 .xlsx 后再导入")  # fmt: skip


def _password(name: str) -> InputError:
    return _refuse("password-protected", "工作簿有密码保护",
                   f"工作簿“{name}”有密码保护，无法读取：请在 Excel 中取消密码（文件 › 信息 › 保护工作簿）后另存再导入")  # fmt: skip


def _open_zip(path: Path, limits: Limits) -> tuple[zipfile.ZipFile, str]:
    name = path.name
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse("unreadable-file", "无法读取文件", f"文件“{name}”已损坏，无法作为工作簿打开") from exc  # fmt: skip
    total = sum(i.file_size for i in infos)
    bomb = any(i.file_size > 10 * 1024 * 1024 and i.file_size > limits.max_ratio * max(i.compress_size, 1) for i in infos)  # fmt: skip
    if total > limits.max_unpacked_bytes or bomb:
        zf.close()
        raise _refuse("file-too-large", "文件过大",
                      f"文件“{name}”解压后有 {total / 1024 / 1024:,.0f} MB"
                      + ("，压缩比异常" if bomb else f"，超过上限 {limits.max_unpacked_mb} MB")
                      + "：不像是填报工作簿，已拒绝读取；上限可用环境变量 JUNHENG_MAX_UNPACKED_MB 调整")  # fmt: skip
    names = {i.filename for i in infos}
    if "xl/workbook.xml" in names:
        return zf, "xlsx"
    if "content.xml" in names:
        return zf, "ods"
    zf.close()
    raise _refuse("unreadable-file", "不是Excel文件", f"文件“{name}”是压缩包而不是Excel工作簿：请在 Excel 中另存为 .xlsx 后再导入")  # fmt: skip


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part inside the package."""
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels_xml = zf.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in zf.namelist() else b"<r/>"  # fmt: skip
    targets = {r.get("Id"): r.get("Target", "") for r in ElementTree.fromstring(rels_xml)}
    out: dict[str, str] = {}
    for el in book.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            target = targets.get(el.get(_NS_REL), "")
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            out[el.get("name", "")] = part
    return out


def _extent(data: bytes) -> tuple[tuple[int, str], tuple[int, str]]:
    """(last row, its cell) and (last column, its cell) holding a value, by byte search."""
    row = (0, "")
    for end in _VALUE_ENDS:
        pos = data.rfind(end)
        if pos < 0:
            continue
        start = max(data.rfind(b"<c ", 0, pos), data.rfind(b":c ", 0, pos))
        m = _REF.search(data, start, pos) if start >= 0 else None
        if m and int(m.group(2)) > row[0]:
            row = (int(m.group(2)), (m.group(1) + m.group(2)).decode())
    # rows out of order and far columns: one pass over the references, looking only at
    # those at row ≥ 100,000 or column ≥ BA
    col = (0, "")
    if _FAR_COLUMN.search(data) is None and _FAR_ROW.search(data) is None:
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


def _check_extent(sheet: str, data: bytes, limits: Limits) -> None:
    (rows, rcell), (cols, ccell) = _extent(data)
    width = cols or 52  # no reference beyond AZ was found
    tail = "：请删除表格之外的内容（或将数据复制到新工作簿）后再导入"
    if rows > limits.max_rows:
        raise _refuse("sheet-too-large", "工作表过大",
                      f"工作表“{sheet}”的单元格 {rcell} 有内容，表格因此达到 {rows:,} 行，超过上限 {limits.max_rows:,} 行"
                      f"{tail}；上限可用环境变量 JUNHENG_MAX_ROWS 调整", sheet)  # fmt: skip
    if cols > limits.max_columns:
        raise _refuse("sheet-too-large", "工作表过大",
                      f"工作表“{sheet}”的单元格 {ccell} 有内容，表格因此达到 {cols:,} 列，超过上限 {limits.max_columns:,} 列"
                      f"{tail}；上限可用环境变量 JUNHENG_MAX_COLUMNS 调整", sheet)  # fmt: skip
    if rows * width > limits.max_cells:
        if not cols:  # the cheap bound was too rough: find the real last column
            cols = max((_split_ref(m.group(1) + m.group(2))[1] for m in _REF.finditer(data)), default=1)  # fmt: skip
        if rows * cols > limits.max_cells:
            raise _refuse("sheet-too-large", "工作表过大",
                          f"工作表“{sheet}”有 {rows:,} 行 × {cols:,} 列，超过 {limits.max_cells:,} 个单元格的上限"
                          f"{tail}；上限可用环境变量 JUNHENG_MAX_CELLS 调整", sheet)  # fmt: skip


def _markers(data: bytes, lo: int, hi: int) -> list[int]:
    """Positions of formula elements and error-typed cells, by byte search for the rare
    ``f`` and ``"e"`` (a regex, or a search for ``<f``, steps on every ``<`` of the sheet)."""
    out: list[int] = []
    pos = data.find(b"f", lo, hi)
    while pos >= 0:
        if data[pos - 1 : pos] in (b"<", b":") and data[pos + 1 : pos + 2] in (b">", b" ", b"/"):
            out.append(pos - 1)
        pos = data.find(b"f", pos + 1, hi)
    pos = data.find(b'e"', lo, hi)
    while pos >= 0:
        if data[pos - 3 : pos] == b't="':
            out.append(pos - 3)
        pos = data.find(b'e"', pos + 1, hi)
    return sorted(out)


def _cell_issues(data: bytes) -> list[CellIssue]:
    """Formulas without a cached result and error values, with their cells."""
    out: list[CellIssue] = []
    seen: set[str] = set()
    lo = max(data.find(b"sheetData"), 0)
    hi = data.rfind(b"sheetData")
    hi = hi if hi > lo else len(data)
    for pos in _markers(data, lo, hi):
        window = max(lo, pos - 4096)  # a cell's opening tag is never far before its content
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


def _scan_xlsx(zf: zipfile.ZipFile, wanted: set[str], limits: Limits) -> tuple[list[str], dict[str, list[CellIssue]]]:  # fmt: skip
    parts = _sheet_parts(zf)
    issues: dict[str, list[CellIssue]] = {}
    for name, part in parts.items():
        if normalise_header(name) not in wanted:
            continue
        try:
            data = zf.read(part)
        except KeyError:
            continue  # calamine reports the broken package
        _check_extent(name, data, limits)
        issues[name] = _cell_issues(data)
    return list(parts), issues


def _calamine(source: Path | io.BytesIO, wanted: set[str]) -> tuple[list[str], dict[str, list[list[object]]]]:  # fmt: skip
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(source)) if isinstance(source, Path) else CalamineWorkbook.from_filelike(source)  # fmt: skip
    names = list(book.sheet_names)
    rows: dict[str, list[list[object]]] = {
        n: book.get_sheet_by_name(n).to_python(skip_empty_area=False)  # type: ignore[misc]
        for n in names
        if normalise_header(n) in wanted
    }
    return names, rows


_CHILD = """
import pickle, resource, sys
from pathlib import Path
limit = int(sys.argv[3])
hard = resource.getrlimit(resource.RLIMIT_AS)[1]
limit = limit if hard == resource.RLIM_INFINITY else min(limit, hard)  # within a capped worker
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from junheng.intake import _calamine
names, rows = _calamine(Path(sys.argv[1]), set(sys.argv[2].split("\\x1f")))
sys.stdout.buffer.write(pickle.dumps((names, rows), protocol=pickle.HIGHEST_PROTOCOL))
"""


def _calamine_capped(path: Path, wanted: set[str], limits: Limits) -> tuple[list[str], dict[str, list[list[object]]]]:  # fmt: skip
    cap = 1024 * 1024 * 1024 + limits.max_cells * 64
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), "\x1f".join(sorted(wanted)), str(cap)],
            capture_output=True,
            timeout=300,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise _refuse("sheet-too-large", "工作表过大", f"读取“{path.name}”超时：文件过大或表格范围异常") from exc  # fmt: skip
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace").lower()
        if "password" in err or "encrypt" in err:
            raise _password(path.name)
        if "memory" in err or "limit" in err or done.returncode < 0:
            raise _refuse("sheet-too-large", "工作表过大",
                          f"“{path.name}”的表格范围过大，读取所需内存超过上限：表格中可能有远离数据的单元格，"
                          "请删除表格之外的内容（或另存为 .xlsx）后再导入")  # fmt: skip
        raise _refuse("unreadable-file", "无法读取文件", f"文件“{path.name}”已损坏或格式不受支持，无法读取：请在 Excel 中打开并另存为 .xlsx 后再导入")  # fmt: skip
    names, rows = pickle.loads(done.stdout)  # our own child's output
    return names, rows


def load(path: Path, wanted: set[str], limits: Limits | None = None) -> Loaded:
    """The cells of the sheets whose normalised names are in *wanted*, within *limits*."""
    limits = limits or Limits.from_env()
    kind = sniff(path, limits)
    out = Loaded()
    if kind == "zip":
        zf, kind = _open_zip(path, limits)
        with zf:
            if kind == "xlsx":
                try:
                    out.sheet_names, out.issues = _scan_xlsx(zf, wanted, limits)
                except (InputError, MemoryError):
                    raise
                except Exception as exc:  # damaged package: bad XML, deflate data or CRC
                    raise _refuse("unreadable-file", "无法读取文件", f"文件“{path.name}”已损坏，无法作为工作簿打开") from exc  # fmt: skip
    if kind == "xlsx":
        try:
            try:
                names, out.rows = _calamine(path, wanted)
            except Exception:  # the name says another format: go by the content
                names, out.rows = _calamine(io.BytesIO(path.read_bytes()), wanted)
        except MemoryError:
            raise  # not a damaged file: a capped worker reports it as such
        except Exception as exc:  # the parser's own refusals: a broken or exotic package
            text = str(exc).lower()
            if "password" in text or "encrypt" in text:
                raise _password(path.name) from exc
            raise _refuse("unreadable-file", "无法读取文件", f"文件“{path.name}”已损坏或格式不受支持，无法读取：请在 Excel 中打开并另存为 .xlsx 后再导入") from exc  # fmt: skip
    else:
        names, out.rows = _calamine_capped(path, wanted, limits)
    out.sheet_names = names
    return out
