"""Opening a workbook safely: what the file really is, whether it is within the limits,
and only then the cells of the sheets the contract reads.

For .xlsx each wanted sheet's XML is unpacked once and scanned (:mod:`junheng.sheetxml`)
for its real extent, for formulas without a cached result and for error values; the parser
then gets a package holding those sheets already unpacked (:mod:`junheng.xlsxpack`) and no
other sheet. .xls and .ods are parsed in a child process with a memory cap, as their extent
cannot be scanned cheaply.
"""

from __future__ import annotations

import io
import os
import pickle
import posixpath
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from .contract import normalise_header
from .errors import Finding, InputError
from .limits import Limits
from .sheetxml import CellIssue, cell_issues, check_extent
from .sheetxml import column_letters as column_letters  # where callers have found it
from .xlsxpack import repack

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(slots=True)
class Loaded:
    rows: dict[str, list[list[object]]] = field(default_factory=dict)
    """Cells of each wanted sheet found, by its name as written in the file."""
    issues: dict[str, list[CellIssue]] = field(default_factory=dict)
    sheet_names: list[str] = field(default_factory=list)


def _refuse(kind: str, title: str, message: str, sheet: str | None = None) -> InputError:
    return InputError([Finding(kind, title, message, sheet)])


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
            part = posixpath.normpath(
                target.lstrip("/") if target.startswith("/") else "xl/" + target
            )
            out[el.get("name", "")] = part
    return out


Scanned = tuple[list[str], dict[str, list[CellIssue]], bytes | None]


def _scan_xlsx(path: Path, zf: zipfile.ZipFile, wanted: set[str], limits: Limits) -> Scanned:
    """Sheet names, the unreadable cells of each wanted sheet, and the package for the parser."""
    parts = _sheet_parts(zf)
    issues: dict[str, list[CellIssue]] = {}
    unpacked: dict[str, bytes] = {}
    for name, part in parts.items():
        if normalise_header(name) not in wanted:
            continue
        # a sheet the parser would read but the scan cannot find: refused as damaged (the
        # KeyError), never handed over unscanned
        data = zf.read(part)
        check_extent(name, data, limits)
        issues[name] = cell_issues(data)
        unpacked[part] = data
    unwanted = {p for p in parts.values() if p not in unpacked}
    return list(parts), issues, repack(path, zf, unpacked, unwanted)


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


@contextmanager
def _named_as(path: Path, kind: str) -> Iterator[Path]:
    """*path*, or a link to it named for its content: the parser picks its format by the
    name, and an .xls saved as "….xlsx" would be taken for a damaged zip."""
    if path.suffix.lower() == f".{kind}":
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="junheng-read-") as tmp:
        named = Path(tmp, f"book.{kind}")
        try:
            os.link(path, named)
        except OSError:  # another file system, or no hard links
            shutil.copyfile(path, named)
        yield named


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


def _calamine_capped(path: Path, wanted: set[str], limits: Limits, name: str) -> tuple[list[str], dict[str, list[list[object]]]]:  # fmt: skip
    cap = 1024 * 1024 * 1024 + limits.max_cells * 64
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), "\x1f".join(sorted(wanted)), str(cap)],
            capture_output=True,
            timeout=300,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise _refuse("sheet-too-large", "工作表过大", f"读取“{name}”超时：文件过大或表格范围异常") from exc  # fmt: skip
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace").lower()
        if "password" in err or "encrypt" in err:
            raise _password(name)
        if "memory" in err or "limit" in err or done.returncode < 0:
            raise _refuse("sheet-too-large", "工作表过大",
                          f"“{name}”的表格范围过大，读取所需内存超过上限：表格中可能有远离数据的单元格，"
                          "请删除表格之外的内容（或另存为 .xlsx）后再导入")  # fmt: skip
        raise _refuse("unreadable-file", "无法读取文件", f"文件“{name}”已损坏或格式不受支持，无法读取：请在 Excel 中打开并另存为 .xlsx 后再导入")  # fmt: skip
    names, rows = pickle.loads(done.stdout)  # our own child's output
    return names, rows


def load(path: Path, wanted: set[str], limits: Limits | None = None) -> Loaded:
    """The cells of the sheets whose normalised names are in *wanted*, within *limits*."""
    limits = limits or Limits.from_env()
    kind = sniff(path, limits)
    out = Loaded()
    package: bytes | None = None
    if kind == "zip":
        zf, kind = _open_zip(path, limits)
        with zf:
            if kind == "xlsx":
                try:
                    out.sheet_names, out.issues, package = _scan_xlsx(path, zf, wanted, limits)
                except (InputError, MemoryError):
                    raise
                except Exception as exc:  # damaged package: bad XML, deflate data or CRC
                    raise _refuse("unreadable-file", "无法读取文件", f"文件“{path.name}”已损坏，无法作为工作簿打开") from exc  # fmt: skip
    if kind == "xlsx":
        try:
            # by content, whatever the name says; the file itself only when it needs ZIP64
            source = io.BytesIO(package) if package is not None else io.BytesIO(path.read_bytes())
            del package
            names, out.rows = _calamine(source, wanted)
        except MemoryError:
            raise  # not a damaged file: a capped worker reports it as such
        except Exception as exc:  # the parser's own refusals: a broken or exotic package
            text = str(exc).lower()
            if "password" in text or "encrypt" in text:
                raise _password(path.name) from exc
            raise _refuse("unreadable-file", "无法读取文件", f"文件“{path.name}”已损坏或格式不受支持，无法读取：请在 Excel 中打开并另存为 .xlsx 后再导入") from exc  # fmt: skip
    else:
        with _named_as(path, kind) as named:
            names, out.rows = _calamine_capped(named, wanted, limits, path.name)
    out.sheet_names = names
    return out
