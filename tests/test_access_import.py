"""The import over HTTP as each role: the upload's preview, then its confirmation. Who may
import changes the data; everyone else, and anyone confirming another user's preview,
changes nothing (the permission matrix confirms only a token nobody previewed).

Found here: a city or province user given the county's token imported the file (the role
was checked at the preview only)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from junheng.web.info.models import RecordStatus, SchoolRecord
from junheng.web.info.services.records import school_contract
from junheng.workbook import write_workbook
from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db

CODE = "1370830001"  # 第1小学 of 汶上县, 20 primary backbone teachers in the world


def _book(tmp_path, county) -> bytes:
    """The county's three schools as stored, with 第1小学's backbone teachers 20 → 21."""
    records = SchoolRecord.objects.filter(school__county=county).select_related("school__county")
    rows = [school_contract(r) for r in records.order_by("school__code")]
    rows[0]["p_backbone"] = 21
    return write_workbook(tmp_path / "in.xlsx", rows, None).read_bytes()


def _client(w, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(w.users[role])
    return client


def _preview(client: Client, content: bytes) -> tuple[int, str, str]:
    upload = SimpleUploadedFile("in.xlsx", content)
    resp = client.post("/import/", {"year": YEAR, "file": upload})
    page = resp.content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', page)
    return resp.status_code, page, token.group(1) if token else ""


def _backbone() -> int:
    return SchoolRecord.objects.get(school__code=CODE, year=YEAR).p_backbone


@pytest.mark.parametrize(
    ("role", "imports"),
    [("county", True), ("admin", True), ("school", False), ("city", False),
     ("province", False), ("norole", False), ("anonymous", False)],
)  # fmt: skip
def test_import_preview_and_confirm_by_role(tmp_path, role, imports):
    w = build_world(RecordStatus.APPROVED)
    client = _client(w, role)
    status, page, token = _preview(client, _book(tmp_path, w.own))
    if role == "anonymous":
        assert status == 302 and not token
    if token:
        resp = client.post("/import/confirm/", {"token": token, "year": YEAR}, follow=True)
        page = resp.content.decode()
    assert _backbone() == (21 if imports else 20), page[:400]
    if imports:
        assert "导入完成" in page
        assert (
            SchoolRecord.objects.get(school__code=CODE, year=YEAR).status == RecordStatus.SUBMITTED
        )


@pytest.mark.parametrize("other", ["city", "province", "school", "norole"])
def test_a_preview_confirmed_by_another_user_changes_nothing(tmp_path, other):
    w = build_world(RecordStatus.APPROVED)
    _, _, token = _preview(_client(w, "county"), _book(tmp_path, w.own))
    assert token
    resp = _client(w, other).post("/import/confirm/", {"token": token, "year": YEAR}, follow=True)
    page = resp.content.decode()
    assert _backbone() == 20, page[:400]
    assert "导入完成" not in page
    if other == "school":  # may import its own school, not confirm the county's upload
        assert resp.status_code == 403 and "这份导入预览不是您上传的" in page
    else:
        assert resp.status_code == 403 and "您的角色不能导入数据" in page
    # the county's own confirmation still works afterwards: nothing was used up or changed
    done = _client(w, "county").post(
        "/import/confirm/", {"token": token, "year": YEAR}, follow=True
    )
    assert "导入完成" in done.content.decode() and _backbone() == 21
