"""Input that cannot hurt the process: stray far cells, oversized and packed files,
encrypted and mislabelled workbooks, formulas without results — each refused (or read)
with a Chinese message, never an abort or a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import junior_school, primary_school
from junheng import InputError, read_workbook, write_workbook
from rawxlsx import ErrorValue, Formula, ods_book, school_book, sheet_xml

CLI = [sys.executable, "-m", "junheng.cli"]


def _refused(path: Path) -> InputError:
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    return exc.value


def _cli(path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "evaluate", str(path)], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120, check=False)  # fmt: skip


def test_stray_value_far_out_in_the_school_sheet_is_refused_naming_the_cell(tmp_path):
    path = school_book(tmp_path / "s.xlsx", [primary_school(1)], extra={"XFD1048576": 1})
    done = _cli(path)
    assert done.returncode == 2, done.stderr
    assert "单元格 XFD1048576 有内容" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("sheet", ["填报说明", "附表"])
def test_stray_value_in_a_sheet_the_contract_does_not_read_is_never_loaded(tmp_path, sheet):
    far = sheet_xml([["说明"]], {"XFD1048576": "x"})
    path = school_book(tmp_path / "o.xlsx", [primary_school(1)], other={sheet: far})
    done = _cli(path)
    assert done.returncode in (0, 1), done.stderr  # evaluated, not aborted (134)
    assert "第1小学" in done.stdout or "汶上县" in done.stdout


def test_formatting_far_out_does_not_count_as_content(tmp_path):
    path = school_book(tmp_path / "f.xlsx", [primary_school(1)])
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'
    )
    parts["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    assert read_workbook(path).schools["code"].to_list() == ["1370830001"]


def test_value_in_the_last_row_is_refused_by_the_row_limit(tmp_path):
    path = school_book(tmp_path / "r.xlsx", [primary_school(1)], extra={"A1048576": "备注"})
    f = _refused(path).findings[0]
    assert f.type == "sheet-too-large"
    assert "A1048576" in f.message and "1,048,576 行" in f.message and "200,000 行" in f.message


def test_row_limit_is_a_setting(tmp_path, monkeypatch):
    recs = [primary_school(i) for i in range(1, 8)]
    path = school_book(tmp_path / "r.xlsx", recs)
    assert read_workbook(path).schools.height == 7
    monkeypatch.setenv("JUNHENG_MAX_ROWS", "5")
    f = _refused(path).findings[0]
    assert (
        "达到 8 行，超过上限 5 行" in f.message
        and "上限可用环境变量 JUNHENG_MAX_ROWS 调整" in f.message
    )


def test_zip_bomb_is_refused_before_opening(tmp_path):
    path = tmp_path / "bomb.xlsx"
    school_book(path, [primary_school(1)])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/pad.bin", b"\0" * (40 * 1024 * 1024))
    f = _refused(path).findings[0]
    assert f.type == "file-too-large" and "压缩比异常" in f.message


def test_unpacked_size_limit_is_a_setting(tmp_path, monkeypatch):
    path = tmp_path / "big.xlsx"
    school_book(path, [primary_school(1)])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as z:
        z.writestr("xl/media/pad.bin", os.urandom(3 * 1024 * 1024))
    assert read_workbook(path).schools.height == 1
    monkeypatch.setenv("JUNHENG_MAX_UNPACKED_MB", "2")
    f = _refused(path).findings[0]
    assert "超过上限 2 MB" in f.message


def test_file_size_limit_is_a_setting(tmp_path, monkeypatch):
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK\x03\x04" + os.urandom(2 * 1024 * 1024))
    monkeypatch.setenv("JUNHENG_MAX_FILE_MB", "1")
    f = _refused(path).findings[0]
    assert f.type == "file-too-large" and "超过上限 1 MB" in f.message


def test_encrypted_workbook_is_reported_as_password_protected(tmp_path):
    path = tmp_path / "secret.xlsx"
    body = b"\0" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + body)
    f = _refused(path).findings[0]
    assert (f.type, f.title) == ("password-protected", "工作簿有密码保护")


@pytest.mark.parametrize(
    "content",
    [b"", b"hello", b"<html><body>x</body></html>", b"PK\x03\x04broken", b"a,b\n1,2\n"],
)
def test_files_that_are_not_workbooks_are_refused_in_chinese(tmp_path, content):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    f = _refused(path).findings[0]
    assert f.type in ("unreadable-file", "empty-file")
    assert "x.xlsx" in f.message and "(" not in f.message


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hi")
    assert "压缩包而不是Excel工作簿" in _refused(path).findings[0].message


@pytest.mark.skipif(not Path("/usr/bin/soffice").exists(), reason="LibreOffice not installed")
def test_xls_content_under_an_xlsx_name_is_read_by_its_content(tmp_path):
    src = write_workbook(tmp_path / "src.xlsx", [primary_school(1), junior_school()])
    out = tmp_path / "conv"
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    subprocess.run(["/usr/bin/soffice", profile, "--headless", "--convert-to", "xls", "--outdir", str(out), str(src)],
                   capture_output=True, timeout=180, check=False)  # fmt: skip
    xls = out / "src.xls"
    if not xls.exists():
        pytest.skip("LibreOffice Calc cannot convert here")
    assert xls.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    renamed = tmp_path / "真的是xls.xlsx"
    renamed.write_bytes(xls.read_bytes())
    data = read_workbook(renamed)
    assert data.schools["code"].to_list() == ["1370830001", "1370830101"]
    assert data.schools["p_students"].to_list() == [1000, None]


def test_ods_content_under_an_xlsx_name_is_read_by_its_content(tmp_path):
    ods = ods_book(tmp_path / "a.ods", [primary_school(1)])
    renamed = tmp_path / "其实是ods.xlsx"
    renamed.write_bytes(ods.read_bytes())
    assert read_workbook(renamed).schools.select("code", "p_students").row(0) == (
        "1370830001",
        1000,
    )


def test_a_damaged_xls_under_an_xlsx_name_is_refused_under_its_own_name(tmp_path):
    # an OLE header and nothing a parser can use: read as .xls, refused by the name it came in
    path = tmp_path / "坏的报表.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    f = _refused(path).findings[0]
    assert f.message == (
        "文件“坏的报表.xlsx”已损坏或格式不受支持，无法读取：请在 Excel 中打开并另存为 .xlsx 后再导入"
    )


def test_xlsx_content_under_an_xls_name_is_read_by_its_content(tmp_path):
    src = write_workbook(tmp_path / "src.xlsx", [primary_school(1)])
    renamed = tmp_path / "旧格式.xls"
    renamed.write_bytes(src.read_bytes())
    assert read_workbook(renamed).schools["code"].to_list() == ["1370830001"]


def test_formula_without_a_cached_result_is_named_with_its_cell(tmp_path):
    rec = primary_school(1, p_teachers=Formula("SUM(P3:P9)"))
    f = _refused(school_book(tmp_path / "f.xlsx", [rec])).findings
    assert [x.message for x in f] == [
        "工作表“学校”第2行“小学专任教师数”列（单元格 P2）公式没有计算结果：请在 Excel 中打开并保存后再导入"
    ]


def test_formula_with_its_cached_result_is_read(tmp_path):
    rec = primary_school(1, p_teachers=Formula("SUM(P3:P9)", cached=60))
    assert read_workbook(school_book(tmp_path / "f.xlsx", [rec])).schools["p_teachers"].to_list() == [60]  # fmt: skip


def test_error_value_is_named_with_its_cell(tmp_path):
    rec = primary_school(1, teach_area=ErrorValue("#DIV/0!"))
    f = _refused(school_book(tmp_path / "e.xlsx", [rec])).findings
    assert len(f) == 1 and f[0].row == 2 and f[0].column == "教学及辅助用房面积"
    assert "单元格 Z2）是公式错误“#DIV/0!”" in f[0].message


def test_formula_trouble_in_an_ignored_column_is_ignored(tmp_path):
    path = school_book(tmp_path / "i.xlsx", [primary_school(1)], extra={"AL2": Formula("1/0")})
    assert read_workbook(path).schools.height == 1


def test_ods_is_read_in_a_memory_capped_child(tmp_path):
    data = read_workbook(ods_book(tmp_path / "a.ods", [primary_school(1)]))
    assert data.schools.select("code", "p_students").row(0) == ("1370830001", 1000)


def test_ods_with_a_value_far_out_is_refused_not_aborted(tmp_path):
    far = (
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row>'
        '<table:table-row><table:table-cell table:number-columns-repeated="16000"/>'
        '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
        "</table:table-cell></table:table-row>"
    )
    path = ods_book(tmp_path / "far.ods", [primary_school(1)], tail=far)
    f = _refused(path).findings[0]
    assert f.type == "sheet-too-large" and "表格范围过大" in f.message
