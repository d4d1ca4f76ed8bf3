"""Web import gives the reader's refusals as a page, never a server error, and an
oversized upload is cut off while it streams in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import junior_school, primary_school
from junheng.web.info.services.errors import ServiceError
from junheng.web.info.services.importing import preview_import
from rawxlsx import ErrorValue, school_book
from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db


def _post(user, path: Path, name: str = "in.xlsx"):
    client = Client()
    client.force_login(user)
    upload = SimpleUploadedFile(name, path.read_bytes())
    return client.post("/import/", {"year": YEAR, "file": upload})


def _imports() -> list[Path]:
    folder = Path(settings.DATA_DIR) / "imports"
    return sorted(folder.glob("*")) if folder.exists() else []


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (
            lambda p: school_book(p, [primary_school(1)], extra={"XFD1048576": 1}),
            "单元格 XFD1048576 有内容",
        ),
        (
            lambda p: school_book(p, [junior_school(p_students="有")]),
            "“小学在校生数”列的值“有”有误：应为数字",
        ),
        (
            lambda p: school_book(p, [primary_school(1, teach_area=ErrorValue())]),
            "是公式错误“#DIV/0!”",
        ),
        (
            lambda p: (
                p.write_bytes(
                    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le")
                )
                and p
            ),
            "有密码保护",
        ),
    ],
)
def test_refusals_show_on_the_page_for_the_lowest_role(tmp_path, build, expected):
    w = build_world()
    path = tmp_path / "in.xlsx"
    build(path)
    resp = _post(w.users["school"], path)
    assert resp.status_code == 200
    page = resp.content.decode()
    assert expected in page and "整个文件不会导入" in page


def test_not_applicable_marks_import_cleanly(tmp_path):
    w = build_world()
    rec = primary_school(1, j_students="/", j_classes="无", j_teachers="—")
    preview = preview_import(w.users["county"], school_book(tmp_path / "a.xlsx", [rec]).read_bytes(), "a.xlsx", YEAR)  # fmt: skip
    assert preview.findings == []


def test_an_oversized_upload_is_cut_off_while_streaming(tmp_path, monkeypatch):
    w = build_world()
    monkeypatch.setenv("JUNHENG_MAX_FILE_MB", "1")
    monkeypatch.setattr(settings, "EVIDENCE_MAX_BYTES", 1024 * 1024)
    before = _imports()
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"PK\x03\x04" + os.urandom(3 * 1024 * 1024))
    resp = _post(w.users["county"], big)
    assert resp.status_code == 200
    assert "文件过大：上传的文件不能超过 1 MB" in resp.content.decode()
    assert _imports() == before  # nothing stored


def test_the_service_refuses_oversized_content_too(monkeypatch):
    w = build_world()
    monkeypatch.setenv("JUNHENG_MAX_FILE_MB", "1")
    with pytest.raises(ServiceError, match="文件过大"):
        preview_import(w.users["county"], b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024), "a.xlsx", YEAR)  # fmt: skip
