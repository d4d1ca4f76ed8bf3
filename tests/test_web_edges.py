"""Edges of the web app: the city's review, stale and locked verdicts, the province's
standard, Chinese error pages, bad input as 4xx, evidence rules, the admin's unit check."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from junheng.web.info.models import (
    CityReview,
    CountyRecord,
    EvaluationRun,
    Evidence,
    Province,
    ProvinceTarget,
    RecordStatus,
    SchoolRecord,
)
from junheng.web.info.services import evidence, reviews, workflow
from junheng.web.info.services.errors import ServiceError, WorkflowError
from junheng.web.info.services.records import save_county_record, save_school_record
from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
NATIONAL_TITLE = "县域义务教育优质均衡发展督导评估办法（教督〔2017〕6号）"


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


# ---------------------------------------------------------------- 6. the city's review


def test_city_review_refused_until_the_county_locks_its_evaluation():
    w = build_world(RecordStatus.APPROVED)
    city = w.users["city"]
    with pytest.raises(WorkflowError, match="尚未评估并锁定"):
        reviews.record_city_review(city, w.own, YEAR, "agree", "")
    workflow.evaluate_county(w.users["county"], w.own, YEAR)  # evaluated, not locked
    with pytest.raises(WorkflowError, match="尚未评估并锁定"):
        reviews.record_city_review(city, w.own, YEAR, "agree", "")
    # a crafted POST gets the same refusal and records nothing
    resp = _client(city).post(f"/county/{w.own.code}/{YEAR}/review/", {"decision": "agree"})
    assert resp.status_code == 302 and not CityReview.objects.exists()
    run = workflow.evaluate_county(w.users["county"], w.own, YEAR, lock=True)
    review = reviews.record_city_review(city, w.own, YEAR, "agree", "材料齐全")
    assert review.run == run and review.decision == "agree"


def test_city_review_rejects_an_unknown_decision_and_a_wild_year():
    w = build_world(RecordStatus.APPROVED)
    workflow.evaluate_county(w.users["county"], w.own, YEAR, lock=True)
    with pytest.raises(ServiceError, match="请选择复核意见"):
        reviews.record_city_review(w.users["city"], w.own, YEAR, "maybe", "")
    with pytest.raises(ServiceError, match="四位年份"):
        reviews.record_city_review(w.users["city"], w.own, 10**19, "agree", "")


def test_county_page_shows_the_city_review():
    w = build_world(RecordStatus.APPROVED)
    workflow.evaluate_county(w.users["county"], w.own, YEAR, lock=True)
    reviews.record_city_review(w.users["city"], w.own, YEAR, "rectify", "请补充佐证材料")
    page = _client(w.users["county"]).get(f"/county/{w.own.code}/{YEAR}/").content.decode()
    section = page[page.index('id="reviews"') :]
    assert "退回整改" in section and "请补充佐证材料" in section and "city" in section


# ---------------------------------------------------------------- 7. stale, locked, standard


def _county_page(w, user="county") -> str:
    return _client(w.users[user]).get(f"/county/{w.own.code}/{YEAR}/").content.decode()


def test_changing_county_data_after_evaluation_asks_for_re_evaluation():
    w = build_world(RecordStatus.SUBMITTED)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    assert "数据已修改，请重新评估" not in _county_page(w)
    crec = CountyRecord.objects.get(county=w.own, year=YEAR)
    save_county_record(w.users["county"], crec, {"population": 71.0}, crec.version)
    assert "数据已修改，请重新评估" in _county_page(w)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    assert "数据已修改，请重新评估" not in _county_page(w)


def test_changing_school_data_after_evaluation_asks_for_re_evaluation():
    w = build_world(RecordStatus.SUBMITTED)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    rec = w.record(w.own)
    save_school_record(w.users["county"], rec, {"p_backbone": 19}, rec.version)
    assert "数据已修改，请重新评估" in _county_page(w)


def test_locking_is_not_stale_and_re_evaluating_keeps_the_lock_shown():
    w = build_world(RecordStatus.APPROVED)
    workflow.evaluate_county(w.users["county"], w.own, YEAR, lock=True)
    page = _county_page(w)
    assert "数据已锁定" in page and "数据已修改，请重新评估" not in page
    again = workflow.evaluate_county(w.users["county"], w.own, YEAR)  # no lock asked
    assert again.locked
    page = _county_page(w)
    assert "数据已锁定" in page and "数据已修改，请重新评估" not in page


def test_the_province_sets_the_standard_a_county_cannot_pick():
    w = build_world(RecordStatus.SUBMITTED)
    county = _client(w.users["county"])
    county.post(f"/county/{w.own.code}/{YEAR}/evaluate/", {"standard": "wenshang-2022"})
    assert EvaluationRun.objects.get().standard == "national-2017"
    resp = county.post(f"/api/counties/{w.own.code}/evaluate",
                       json.dumps({"year": YEAR, "standard": "wenshang-2022"}),
                       content_type="application/json")  # fmt: skip
    assert resp.status_code == 200 and resp.json()["standard"] == "national-2017"
    # the county cannot change its province's standard either
    resp = county.post(
        f"/province/{w.own.city.province.code}/standard/", {"standard": "wenshang-2022"}
    )
    assert resp.status_code == 404
    assert Province.objects.get(code="370000").standard == "national-2017"
    _client(w.users["province"]).post("/province/370000/standard/", {"standard": "wenshang-2022"})
    assert Province.objects.get(code="370000").standard == "wenshang-2022"
    run = workflow.evaluate_county(w.users["county"], w.own, YEAR)
    assert run.standard == "wenshang-2022"


def test_province_standard_must_be_a_known_id_not_a_path():
    w = build_world()
    prov = Province.objects.get(code="370000")
    for bad in ("../../etc/passwd", "/tmp/x.toml", "no-such-standard"):
        with pytest.raises(ServiceError):
            reviews.set_province_standard(w.users["province"], prov, bad)
    assert Province.objects.get(code="370000").standard == "national-2017"


def test_rankings_show_each_verdicts_standard_title():
    w = build_world(RecordStatus.SUBMITTED)
    workflow.evaluate_county(w.users["county"], w.own, YEAR)
    page = _client(w.users["province"]).get(f"/province/370000/{YEAR}/").content.decode()
    table = page[page.index('id="county-table"') :]
    assert NATIONAL_TITLE in table and "national-2017" not in table
    page = _county_page(w)
    assert f"评估标准：{NATIONAL_TITLE}" in page


# ---------------------------------------------------------------- 8. Chinese pages, a way back


@pytest.mark.parametrize("url", ["/county/999999/2026/", "/no/such/page/", "/evidence/12345/"])
def test_not_found_is_a_chinese_page_with_menu_and_logout(url):
    w = build_world()
    resp = _client(w.users["county"]).get(url)
    body = resp.content.decode()
    assert resp.status_code == 404
    assert "页面不存在" in body and "退出" in body and "首页" in body and "Not Found" not in body


def test_forbidden_text_is_wrapped_in_the_page():
    w = build_world(RecordStatus.SUBMITTED)
    resp = _client(w.users["school"]).post(f"/school/{w.school(w.own).code}/{YEAR}/approve/")
    body = resp.content.decode()
    assert resp.status_code == 403 and "无权访问" in body and "退出" in body


def test_csrf_failure_is_chinese():
    w = build_world()
    c = Client(enforce_csrf_checks=True)
    c.force_login(w.users["county"])
    resp = c.post(f"/county/{w.own.code}/{YEAR}/evaluate/")
    body = resp.content.decode()
    assert (
        resp.status_code == 403 and "页面已过期" in body and "CSRF verification failed" not in body
    )


def test_logout_by_get_asks_and_by_post_logs_out():
    w = build_world()
    c = _client(w.users["county"])
    resp = c.get("/logout/")
    assert resp.status_code == 200 and "确定要退出" in resp.content.decode()
    assert c.get(f"/county/{w.own.code}/{YEAR}/").status_code == 200  # still signed in
    c.post("/logout/")
    assert c.get(f"/county/{w.own.code}/{YEAR}/").status_code == 302


def test_api_docs_need_login_and_use_local_files():
    w = build_world()
    assert Client().get("/api/docs").status_code == 302
    body = _client(w.users["county"]).get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body and "cdn" not in body.lower()


def test_history_shows_chinese_status_labels():
    w = build_world(RecordStatus.DRAFT)
    rec = w.record(w.own)
    from junheng.web.info.services.records import stamp

    rec.status = RecordStatus.SUBMITTED
    rec.version += 1
    stamp(rec, w.users["school"])
    rec.save()
    body = _client(w.users["school"]).get(f"/school/{rec.school.code}/{YEAR}/").content.decode()
    assert "状态：草稿 → 已提交" in body and "draft" not in body


def test_admin_shows_chinese_and_no_none():
    w = build_world()
    c = _client(w.users["admin"])
    for url in ("/admin/auth/user/", "/admin/info/evaluationrun/", "/admin/info/userprofile/"):
        body = c.get(url).content.decode()
        assert ">None<" not in body, url
    body = c.get("/admin/auth/user/").content.decode()
    assert "角色" in body and "所属单位" in body
    body = c.get("/admin/auth/user/add/").content.decode()
    assert "所属单位代码" in body and "After you" not in body


# ---------------------------------------------------------------- 9. bad input → Chinese 4xx


@pytest.mark.parametrize(
    "url",
    [
        "/county/370830/12345678901234567890/",
        "/county/370830/12345678901234567890/data/",
        "/school/1370830001/99999999999999999999/",
        "/city/370800/12345678901234567890/",
        "/evidence/123456789012345678901234/",
    ],
)
def test_huge_numbers_in_urls_are_404_not_500(url):
    w = build_world()
    resp = _client(w.users["admin"]).get(url)
    assert resp.status_code == 404 and "退出" in resp.content.decode()


def test_api_rejects_huge_counts_and_years_in_chinese():
    w = build_world(RecordStatus.DRAFT)
    c = _client(w.users["county"])
    code = w.school(w.own).code
    resp = c.put(f"/api/schools/{code}/records/{YEAR}",
                 json.dumps({"version": 1, "values": {"p_students": 10**30}}),
                 content_type="application/json")  # fmt: skip
    assert resp.status_code == 422 and "超出可能的范围" in resp.json()["detail"]
    assert SchoolRecord.objects.get(school__code=code, year=YEAR).p_students == 1000
    resp = c.get(f"/api/schools/{code}/records/12345678901234567890")
    assert resp.status_code == 422 and "年度" in resp.json()["detail"]
    resp = c.post(f"/api/counties/{w.own.code}/evaluate", json.dumps({"year": 10**20}),
                  content_type="application/json")  # fmt: skip
    assert resp.status_code == 422 and "请求内容有误" in resp.json()["detail"]


def test_huge_target_year_and_bad_share_are_refused():
    w = build_world()
    c = _client(w.users["province"])
    c.post("/province/370000/targets/", {"year": "9" * 20, "share": "30", "back_year": "9" * 20})
    c.post("/province/370000/targets/", {"year": "2027", "share": "nan"})
    c.post("/province/370000/targets/", {"year": "2027", "share": "inf"})
    assert not ProvinceTarget.objects.exists()
    resp = c.post("/province/370000/targets/", {"year": "2027", "share": "30"}, follow=True)
    assert (
        ProvinceTarget.objects.get().share == 30
        and "已设置2027年目标：30%" in resp.content.decode()
    )


def test_county_form_rejects_a_huge_count():
    w = build_world()
    crec = CountyRecord.objects.get(county=w.own, year=YEAR)
    resp = _client(w.users["county"]).post(
        f"/county/{w.own.code}/{YEAR}/data/", {"version": crec.version, "graduates": str(10**30)}
    )
    assert resp.status_code == 200
    assert CountyRecord.objects.get(pk=crec.pk).graduates == 950


# ---------------------------------------------------------------- 15. evidence


def test_evidence_names_its_item_uploader_and_time_and_goes_before_lock():
    w = build_world(RecordStatus.APPROVED)
    ev = evidence.upload(w.users["county"], w.own, YEAR, "layout", "规划布局图", "布局.pdf", PDF)
    page = _county_page(w)
    section = page[page.index('id="evidence"') :]
    assert "政府保障程度第1项：县域内义务教育学校规划布局合理" in section
    assert "county" in section and ev.uploaded_at.astimezone().strftime("%Y-%m-%d") in section
    with pytest.raises(ServiceError, match="对应的指标"):
        evidence.upload(w.users["county"], w.own, YEAR, "nonsense", "x", "a.pdf", PDF)
    path = evidence.open_evidence(ev)
    _client(w.users["county"]).post(f"/evidence/{ev.pk}/delete/")
    assert not Evidence.objects.exists() and not path.exists()


def test_evidence_cannot_be_added_or_removed_after_lock():
    w = build_world(RecordStatus.APPROVED)
    ev = evidence.upload(w.users["county"], w.own, YEAR, "layout", "图", "a.pdf", PDF)
    workflow.evaluate_county(w.users["county"], w.own, YEAR, lock=True)
    with pytest.raises(WorkflowError, match="已锁定"):
        evidence.upload(w.users["county"], w.own, YEAR, "layout", "图", "b.pdf", PDF)
    with pytest.raises(WorkflowError, match="已锁定"):
        evidence.delete(w.users["county"], ev)
    assert Evidence.objects.count() == 1
    assert f"/evidence/{ev.pk}/delete/" not in _county_page(w)


def test_others_cannot_delete_evidence():
    w = build_world()
    ev = evidence.upload(w.users["county"], w.own, YEAR, "layout", "图", "a.pdf", PDF)
    for role in ("city", "province", "school"):
        resp = _client(w.users[role]).post(f"/evidence/{ev.pk}/delete/")
        assert resp.status_code in (403, 404), role
    assert Evidence.objects.count() == 1


# ---------------------------------------------------------------- 16. admin


def test_admin_refuses_a_unit_code_that_does_not_exist():
    from junheng.web.info.admin import ProfileForm

    build_world()
    form = ProfileForm(data={"role": "county", "unit_code": "999999"})
    assert not form.is_valid()
    assert "没有代码为“999999”的区县" in form.errors["unit_code"][0]
    assert ProfileForm(data={"role": "county", "unit_code": "370830"}).is_valid()
    assert not ProfileForm(data={"role": "school", "unit_code": "370830"}).is_valid()
    assert ProfileForm(data={"role": "admin", "unit_code": ""}).is_valid()


def test_admin_creates_user_with_role_and_unit_in_one_screen():
    w = build_world()
    c = _client(w.users["admin"])
    resp = c.post("/admin/auth/user/add/", {
        "username": "clerk2", "password1": "Zx9-long-pass", "password2": "Zx9-long-pass",
        "profile-TOTAL_FORMS": "1", "profile-INITIAL_FORMS": "0",
        "profile-MIN_NUM_FORMS": "0", "profile-MAX_NUM_FORMS": "1",
        "profile-0-role": "county", "profile-0-unit_code": "370830",
    })  # fmt: skip
    assert resp.status_code == 302, resp.content.decode()[:2000]
    from django.contrib.auth.models import User

    assert User.objects.get(username="clerk2").profile.unit_code == "370830"
