"""An edit committed while an import is being confirmed — after the confirm has read the
versions, before it writes — refuses the import instead of overwriting the edit.

PostgreSQL only: SQLite's write transactions begin IMMEDIATE, so the edit waits for the
confirm to end and this interleaving cannot happen there."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from junheng import write_workbook
from junheng.web.info.models import SchoolRecord
from junheng.web.info.services import importing
from junheng.web.info.services.records import SCHOOL_KEYS, save_school_record, school_contract
from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_edit_between_the_version_check_and_the_write_refuses_the_import(tmp_path, monkeypatch):  # fmt: skip
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    w = build_world()
    rec = w.record(w.own, 0)
    row = {**school_contract(rec), "p_students": 1234}
    path = write_workbook(tmp_path / "县域.xlsx", [row])
    preview = importing.preview_import(w.users["county"], path.read_bytes(), "县域.xlsx", YEAR)
    assert preview.ok and preview.count("修改") == 1
    edited: list[int] = []

    def edit() -> None:
        try:
            fresh = SchoolRecord.objects.get(pk=rec.pk)
            values = {k: getattr(fresh, k) for k in SCHOOL_KEYS} | {"p_students": 1001}
            edited.append(save_school_record(w.users["county"], fresh, values, fresh.version).version)  # fmt: skip
        finally:
            connection.close()

    checked = importing._changed_since_preview

    def racing(seen: importing.Versions, now: importing.Versions, year: int) -> list[object]:
        out = checked(seen, now, year)
        if edited:
            return out  # type: ignore[return-value]
        t = threading.Thread(target=edit)  # another connection, committing at once
        t.start()
        t.join(30)
        return out  # type: ignore[return-value]

    monkeypatch.setattr(importing, "_changed_since_preview", racing)
    result = importing.confirm_import(w.users["county"], preview.token, YEAR)
    assert edited == [rec.version + 1]
    assert [f.type for f in result.findings] == ["changed-since-preview"]
    assert f"现在版本{rec.version + 1}" in result.findings[0].message
    after = SchoolRecord.objects.get(pk=rec.pk)
    assert (after.p_students, after.version) == (1001, rec.version + 1)
