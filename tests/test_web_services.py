"""The web services called directly: scoping, workflow, version check, locking, import,
evidence."""

from __future__ import annotations

import pytest

from conftest import primary_school
from junheng.web.info.models import County, EvaluationRun, RecordStatus, School, SchoolRecord
from junheng.web.info.scoping import scoped
from junheng.web.info.services import evidence, workflow
from junheng.web.info.services.errors import (
    NotAllowed,
    ServiceError,
    ValidationFailed,
    VersionConflict,
    WorkflowError,
)
from junheng.web.info.services.importing import confirm_import, preview_import
from junheng.web.info.services.records import save_school_record, school_contract
from junheng.workbook import write_workbook
from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db


def test_scope_of_each_role():
    w = build_world()
    codes = lambda user: sorted(scoped(user, School.objects.all()).values_list("code", flat=True))  # noqa: E731
    assert codes(w.users["school"]) == ["1370830001"]
    assert codes(w.users["county"]) == ["1370830001", "1370830002", "1370830003"]
    assert codes(w.users["city"]) == codes(w.users["county"])
    assert codes(w.users["province"]) == codes(w.users["county"])
    assert len(codes(w.users["admin"])) == 6
    assert codes(w.users["norole"]) == []
    assert list(scoped(w.users["school"], County.objects.all())) == []


def test_school_submits_county_returns_with_reason_then_approves():
    w = build_world(RecordStatus.DRAFT)
    rec = w.record(w.own)
    rec = workflow.submit(w.users["school"], rec)
    assert rec.status == RecordStatus.SUBMITTED
    with pytest.raises(WorkflowError, match="退回时必须填写退回原因"):
        workflow.return_record(w.users["county"], rec, "  ")
    rec = workflow.return_record(w.users["county"], rec, "骨干教师数与名册不符")
    assert (rec.status, rec.status_note) == (RecordStatus.RETURNED, "骨干教师数与名册不符")
    rec = workflow.submit(w.users["school"], rec)
    rec = workflow.approve(w.users["county"], rec)
    assert rec.status == RecordStatus.APPROVED
    # every step is in the history with who did it
    users = [
        h.history_user.username for h in rec.history.order_by("history_date") if h.history_user
    ]
    assert users == ["school", "county", "school", "county"]


def test_school_cannot_approve_and_cannot_edit_after_submitting():
    w = build_world(RecordStatus.SUBMITTED)
    rec = w.record(w.own)
    with pytest.raises(NotAllowed):
        workflow.approve(w.users["school"], rec)
    with pytest.raises(WorkflowError, match="学校不能再修改"):
        save_school_record(w.users["school"], rec, {"p_backbone": 10}, rec.version)


def test_county_cannot_touch_a_foreign_school():
    w = build_world()
    with pytest.raises(NotAllowed):
        workflow.approve(w.users["county"], w.record(w.foreign))


def test_two_editors_do_not_overwrite_each_other():
    w = build_world(RecordStatus.DRAFT)
    rec = w.record(w.own)
    opened = rec.version
    save_school_record(w.users["county"], rec, {"p_backbone": 25}, opened)
    with pytest.raises(VersionConflict, match="已被county于"):
        save_school_record(w.users["school"], rec, {"p_backbone": 30}, opened)
    rec.refresh_from_db()
    assert rec.p_backbone == 25
    old_new = [
        (h.prev_record.p_backbone if h.prev_record else None, h.p_backbone)
        for h in rec.history.order_by("history_date")
    ]
    assert old_new[-1] == (20, 25)


def test_invalid_values_are_refused_with_the_engine_message():
    w = build_world(RecordStatus.DRAFT)
    rec = w.record(w.own)
    with pytest.raises(ValidationFailed) as exc:
        save_school_record(w.users["school"], rec, {"p_qualified": 999}, rec.version)
    assert (
        str(exc.value) == "第1小学：“小学高于规定学历教师数”列的值“999”超过了小学专任教师数（60）"
    )


def test_lock_needs_every_school_approved_and_then_freezes_the_data():
    w = build_world(RecordStatus.SUBMITTED)
    with pytest.raises(WorkflowError, match="还有3所学校的数据未审核通过"):
        workflow.evaluate_county(w.users["county"], w.own, YEAR, lock=True)
    for rec in SchoolRecord.objects.filter(school__county=w.own):
        workflow.approve(w.users["county"], rec)
    run = workflow.evaluate_county(w.users["county"], w.own, YEAR, lock=True)
    assert run.recognised is True and run.locked
    assert run.result["code"] == "370830"
    rec = w.record(w.own)
    assert rec.status == RecordStatus.LOCKED
    assert f"评估记录#{run.pk}" in rec.status_note
    with pytest.raises(WorkflowError, match="数据已锁定"):
        save_school_record(w.users["county"], rec, {"p_backbone": 1}, rec.version)


def test_city_user_cannot_evaluate():
    w = build_world()
    with pytest.raises(NotAllowed):
        workflow.evaluate_county(w.users["city"], w.own, YEAR)
    assert EvaluationRun.objects.count() == 0


def _book(tmp_path, rows, name="in.xlsx"):
    return (write_workbook(tmp_path / name, rows, None)).read_bytes()


def test_import_preview_confirm_and_reimport_changes_nothing(tmp_path):
    w = build_world(RecordStatus.APPROVED)
    rows = [
        school_contract(r)
        for r in SchoolRecord.objects.filter(school__county=w.own).select_related("school__county")
    ]
    rows[0]["p_backbone"] = 21
    rows.append(primary_school(9) | {"name": "新建小学"})
    content = _book(tmp_path, rows)
    preview = preview_import(w.users["county"], content, "in.xlsx", YEAR)
    assert preview.ok
    assert (preview.count("新增"), preview.count("修改"), preview.count("不变")) == (1, 1, 2)
    changed = next(c for c in preview.changes if c.action == "修改")
    assert changed.fields == [("小学县级及以上骨干教师数", 20, 21)]
    assert (
        SchoolRecord.objects.get(school__code="1370830001", year=YEAR).p_backbone == 20
    )  # nothing yet
    confirm_import(w.users["county"], preview.token, YEAR)
    rec = SchoolRecord.objects.get(school__code="1370830001", year=YEAR)
    assert rec.p_backbone == 21 and rec.status == RecordStatus.SUBMITTED  # changed → review again
    assert School.objects.filter(code="1370830009", county=w.own).exists()
    versions = dict(SchoolRecord.objects.values_list("school__code", "version"))
    again = preview_import(w.users["county"], content, "in.xlsx", YEAR)
    assert again.count("不变") == 4 and again.count("修改") == again.count("新增") == 0
    confirm_import(w.users["county"], again.token, YEAR)
    assert dict(SchoolRecord.objects.values_list("school__code", "version")) == versions


def test_import_with_errors_changes_nothing(tmp_path):
    w = build_world()
    rows = [primary_school(1) | {"p_students": -1}, primary_school(2)]
    preview = preview_import(w.users["county"], _book(tmp_path, rows), "bad.xlsx", YEAR)
    assert not preview.ok
    assert preview.findings[0].row == 2 and preview.findings[0].column == "小学在校生数"
    before = SchoolRecord.objects.get(school__code="1370830002", year=YEAR).p_students
    assert confirm_import(w.users["county"], preview.token, YEAR).findings
    assert SchoolRecord.objects.get(school__code="1370830002", year=YEAR).p_students == before


def test_import_of_a_foreign_county_is_refused(tmp_path):
    w = build_world()
    row = primary_school(1) | {
        "code": "1410102001",
        "county_code": "410102",
        "county_name": "中原区",
    }
    preview = preview_import(w.users["county"], _book(tmp_path, [row]), "f.xlsx", YEAR)
    assert [f.type for f in preview.findings] == ["not-allowed"]
    assert "不在您管辖的区县范围内" in preview.findings[0].message


def test_school_clerk_imports_only_its_own_school(tmp_path):
    w = build_world(RecordStatus.DRAFT)
    preview = preview_import(
        w.users["school"], _book(tmp_path, [primary_school(2)]), "s.xlsx", YEAR
    )
    assert "学校填报员只能导入本校数据" in preview.findings[0].message


def test_import_refuses_non_excel():
    w = build_world()
    with pytest.raises(ServiceError, match="只能导入Excel文件"):
        preview_import(w.users["county"], b"hello", "a.txt", YEAR)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_evidence_is_type_checked_hashed_and_scoped():
    w = build_world()
    ev = evidence.upload(w.users["county"], w.own, YEAR, "layout", "规划布局图", "布局.pdf", PDF)
    import hashlib

    assert ev.sha256 == hashlib.sha256(PDF).hexdigest()
    assert evidence.open_evidence(ev).read_bytes() == PDF
    with pytest.raises(ServiceError, match=r"内容与扩展名\.pdf不符"):
        evidence.upload(w.users["county"], w.own, YEAR, "x", "x", "fake.pdf", b"MZ\x90\x00")
    with pytest.raises(ServiceError, match="文件类型不允许"):
        evidence.upload(w.users["county"], w.own, YEAR, "x", "x", "run.exe", b"MZ")
    with pytest.raises(NotAllowed):
        evidence.upload(w.users["county"], w.foreign, YEAR, "x", "x", "a.pdf", PDF)


def test_evidence_size_limit(settings):
    w = build_world()
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ServiceError, match="超过上限"):
        evidence.upload(w.users["county"], w.own, YEAR, "x", "x", "big.pdf", PDF + b"0" * 200)


def test_county_facts_version_check_and_lock():
    from junheng.web.info.models import CountyRecord
    from junheng.web.info.services.records import save_county_record

    w = build_world(RecordStatus.APPROVED)
    rec = CountyRecord.objects.get(county=w.own, year=YEAR)
    save_county_record(w.users["county"], rec, {"population": 71.5}, rec.version)
    with pytest.raises(VersionConflict):
        save_county_record(w.users["county"], rec, {"population": 72.0}, rec.version)
    with pytest.raises(NotAllowed):
        save_county_record(w.users["city"], rec, {"population": 72.0}, rec.version + 1)
    workflow.evaluate_county(w.users["county"], w.own, YEAR, lock=True)
    rec.refresh_from_db()
    assert rec.population == 71.5 and rec.status == RecordStatus.LOCKED
    with pytest.raises(WorkflowError, match="数据已锁定"):
        save_county_record(w.users["county"], rec, {"population": 1.0}, rec.version)


def test_closed_school_keeps_history_and_leaves_the_evaluation():
    from junheng.web.info.services.records import close_school, county_dataset

    w = build_world()
    first = w.school(w.own, 0)
    assert county_dataset(w.own, YEAR).schools.height == 3
    close_school(w.users["county"], w.school(w.own, 1), YEAR + 1, merged_into=first)
    assert county_dataset(w.own, YEAR).schools.height == 3  # still open in YEAR
    close_school(w.users["county"], w.school(w.own, 1), YEAR, merged_into=first)
    assert county_dataset(w.own, YEAR).schools["code"].to_list() == ["1370830001", "1370830003"]
    assert SchoolRecord.objects.filter(school__code="1370830002").count() == 1  # history kept
    with pytest.raises(WorkflowError, match="只能并入本区县的学校"):
        close_school(w.users["admin"], w.school(w.own, 2), YEAR, merged_into=w.school(w.foreign))
