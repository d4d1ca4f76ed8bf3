"""The package the parser reads: each wanted sheet unpacked once (scanned, then handed over
stored), unread sheets left out, and the scan for far cells sure at every byte."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from conftest import primary_school
from junheng import InputError, read_workbook
from junheng.limits import Limits
from junheng.sheetxml import _CHUNK, check_extent
from rawxlsx import school_book, sheet_xml


class _Stream(io.RawIOBase):
    """A file that cannot seek: zipfile then writes each part with a data descriptor."""

    def __init__(self, out: io.BufferedWriter) -> None:
        self.out = out

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        return self.out.write(b)


def _sheet_with_ref_at(offset: int, ref: str) -> bytes:
    """Sheet XML whose cell *ref* (holding a value) has its ``r="`` at byte *offset*."""
    head = b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><!--'
    cell = f'--><row r="2"><c r="{ref}"><v>1</v></c></row></sheetData></worksheet>'.encode()
    pad = offset - len(head) - len(b'--><row r="2"><c ')
    return head + b" " * pad + cell


@pytest.mark.parametrize("ref", ["XFD2", "A1048576", "BA2"])
@pytest.mark.parametrize("shift", [-5, -3, -1, 0, 1])
def test_a_far_cell_is_found_wherever_it_falls_in_the_scan(ref: str, shift: int) -> None:
    data = _sheet_with_ref_at(_CHUNK + shift, ref)
    assert data.index(f'r="{ref}"'.encode()) == _CHUNK + shift
    limits = Limits(max_columns=52, max_rows=100_000)
    with pytest.raises(InputError) as exc:
        check_extent("学校", data, limits)
    assert f"单元格 {ref} 有内容" in exc.value.findings[0].message


def test_a_near_sheet_of_the_same_size_passes_the_scan() -> None:
    check_extent("学校", _sheet_with_ref_at(_CHUNK - 1, "AZ2"), Limits(max_columns=52))


def test_a_workbook_streamed_with_data_descriptors_reads_the_same(tmp_path: Path) -> None:
    plain = school_book(tmp_path / "p.xlsx", [primary_school(1), primary_school(2)])
    streamed = tmp_path / "s.xlsx"
    with (
        zipfile.ZipFile(plain) as src,
        streamed.open("wb") as fh,
        zipfile.ZipFile(_Stream(fh), "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in src.infolist():
            out.writestr(info.filename, src.read(info))
    with zipfile.ZipFile(streamed) as z:
        assert all(i.flag_bits & 0x08 for i in z.infolist())
    assert read_workbook(streamed).schools["code"].to_list() == ["1370830001", "1370830002"]


def test_a_broken_sheet_the_contract_does_not_read_is_left_out(tmp_path: Path) -> None:
    path = school_book(tmp_path / "b.xlsx", [primary_school(1)], other={"附表": "<<不是XML"})
    assert read_workbook(path).schools["code"].to_list() == ["1370830001"]


def test_a_broken_school_sheet_is_still_refused_in_chinese(tmp_path: Path) -> None:
    path = school_book(tmp_path / "b.xlsx", [primary_school(1)])
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet_xml([["学校标识码"]]).encode()[:-20]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    assert "无法" in exc.value.findings[0].message or "缺少" in exc.value.findings[0].message


def _retarget(path: Path, target: str) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        'Target="worksheets/sheet1.xml"', f'Target="{target}"'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)


def test_a_roundabout_path_to_the_school_sheet_is_still_scanned(tmp_path: Path) -> None:
    path = school_book(tmp_path / "r.xlsx", [primary_school(1)], extra={"XFD1048576": 1})
    _retarget(path, "worksheets/../worksheets/./sheet1.xml")
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    assert "单元格 XFD1048576 有内容" in exc.value.findings[0].message


def test_a_school_sheet_whose_part_is_missing_is_refused_as_damaged(tmp_path: Path) -> None:
    path = school_book(tmp_path / "m.xlsx", [primary_school(1)])
    _retarget(path, "worksheets/nowhere.xml")
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    assert "已损坏" in exc.value.findings[0].message
