"""Refusals are answered as refusals: a form posted by someone who may not change it says so
with 403 (the role never may) or 409 (not in the record's present state), not 200."""

from __future__ import annotations

import pytest
from django.test import Client

from junheng.web.info.models import RecordStatus, SchoolRecord
from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db


def _post(client: Client, rec: SchoolRecord, htmx: bool = False) -> tuple[int, str]:
    headers = {"HX-Request": "true"} if htmx else {}
    resp = client.post(f"/school/{rec.school.code}/{YEAR}/",
                       {"p_backbone": "21", "version": str(rec.version)}, headers=headers)  # fmt: skip
    return resp.status_code, resp.content.decode()


def test_a_school_form_posted_without_the_right_to_edit_is_refused() -> None:
    w = build_world(RecordStatus.SUBMITTED)
    rec = w.record(w.own)
    for role in ("city", "province"):
        c = Client()
        c.force_login(w.users[role])
        status, text = _post(c, rec)
        assert status == 403, role
        assert "当前状态下不能修改" in text
    # the school may edit its record, only not once submitted: a conflict of state
    c = Client()
    c.force_login(w.users["school"])
    status, text = _post(c, rec)
    assert status == 409
    assert "当前状态下不能修改" in text
    # HTMX swaps only 2xx answers: the form comes back with the message in it
    status, text = _post(c, rec, htmx=True)
    assert status == 200 and "当前状态下不能修改" in text
    assert SchoolRecord.objects.get(pk=rec.pk).version == rec.version
