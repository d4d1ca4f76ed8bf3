"""A tiny .xlsx writer for tests: cells placed anywhere (``XFD1048576``), formulas with or
without a cached result, error values — what real writers produce and openpyxl cannot."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from junheng.contract import SCHOOL_COLUMNS
from junheng.intake import column_letters


@dataclass(frozen=True)
class Formula:
    text: str
    cached: float | None = None


@dataclass(frozen=True)
class ErrorValue:
    text: str = "#DIV/0!"


Cell = object


def _cell(ref: str, value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        v = "" if value.cached is None else f"<v>{value.cached}</v>"
        return f'<c r="{ref}"><f>{escape(value.text)}</f>{v}</c>'
    if isinstance(value, ErrorValue):
        return f'<c r="{ref}" t="e"><f>1/0</f><v>{escape(value.text)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return (
        f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'
    )


def sheet_xml(rows: list[list[Cell]], extra: dict[str, Cell] | None = None) -> str:
    by_row: dict[int, list[str]] = {}
    for i, row in enumerate(rows, start=1):
        by_row[i] = [_cell(f"{column_letters(j)}{i}", v) for j, v in enumerate(row, start=1)]
    for ref, v in (extra or {}).items():
        r = int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        by_row.setdefault(r, []).append(_cell(ref, v))
    body = "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in sorted(by_row.items()))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>'
    )


def write(path: Path, sheets: dict[str, str]) -> Path:
    """A package with the given sheets (name → sheet XML from :func:`sheet_xml`)."""
    names = list(sheets)
    over = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    ct = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{over}</Types>"
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    sheets_el = "".join(
        f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, n in enumerate(names, start=1)
    )
    book = (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main" xmlns:r="{rel}"><sheets>{sheets_el}</sheets></workbook>'
    )
    book_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", book_rels)
        for i, n in enumerate(names, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheets[n])
    return path


def school_row(rec: dict[str, object]) -> list[Cell]:
    out: list[Cell] = []
    for c in SCHOOL_COLUMNS:
        v = rec.get(c.key)
        out.append(("是" if v else "否") if isinstance(v, bool) else v)
    return out


def school_book(path: Path, recs: list[dict[str, object]], extra: dict[str, Cell] | None = None,
                other: dict[str, str] | None = None, headers: list[str] | None = None) -> Path:  # fmt: skip
    header: list[Cell] = list(headers or [c.header for c in SCHOOL_COLUMNS])
    sheets = {"学校": sheet_xml([header, *[school_row(r) for r in recs]], extra)}
    return write(path, {**sheets, **(other or {})})


def _ods_cell(v: Cell) -> str:
    if v is None:
        return "<table:table-cell/>"
    if isinstance(v, int | float) and not isinstance(v, bool):
        return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'  # fmt: skip
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'  # fmt: skip


def ods_book(path: Path, recs: list[dict[str, object]], tail: str = "") -> Path:
    """A minimal .ods with the 学校 sheet; *tail* is raw table XML appended after the rows."""
    rows = [[c.header for c in SCHOOL_COLUMNS], *[school_row(r) for r in recs]]
    body = "".join(
        "<table:table-row>" + "".join(_ods_cell(v) for v in r) + "</table:table-row>" for r in rows
    )
    ns = "urn:oasis:names:tc:opendocument:xmlns"
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{ns}:office:1.0" '
        f'xmlns:table="{ns}:table:1.0" xmlns:text="{ns}:text:1.0" office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="学校">{body}{tail}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="{ns}:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest)
    return path
