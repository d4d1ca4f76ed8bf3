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
