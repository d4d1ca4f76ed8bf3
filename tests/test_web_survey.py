"""The survey app: a county runs its survey, respondents answer anonymously through one-time
codes, paper returns come in whole or not at all, and confirmed results fill the county's data."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.test import Client

from junheng.survey import default_questionnaire, write_paper_template
from junheng.web.info.models import CountyRecord
from junheng.web.info.services.errors import NotAllowed, ServiceError, WorkflowError
from junheng.web.survey import services
from junheng.web.survey.models import Invitation, Survey, SurveyResponse
from webfixtures import YEAR, build_world

pytestmark = pytest.mark.django_db
Q = default_questionnaire()


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    from django.core.cache import cache

    cache.clear()


def _survey(w) -> Survey:  # type: ignore[no-untyped-def]
    return services.create_survey(w.users["county"], w.own, YEAR)


def _answers(group: str, overall: str = "A") -> dict[str, str]:
    return {f"q_{q.id}": (overall if q.overall else "B") for q in Q.for_group(group)}


def test_only_the_county_creates_and_manages_its_survey():
    w = build_world()
    survey = _survey(w)
    assert survey.version == Q.version
    with pytest.raises(WorkflowError, match="已经创建"):
        _survey(w)
    with pytest.raises(NotAllowed):
        services.create_survey(w.users["city"], w.own, YEAR + 1)
    with pytest.raises(NotAllowed):
        services.create_survey(w.users["county"], w.foreign, YEAR)
    with pytest.raises(NotAllowed):
        services.invite(w.users["school"], survey, "parent", "城区", "1370830001", 5)


def test_sampling_plan_from_the_county_population():
    w = build_world()
    plan = services.sampling_plan(_survey(w))
    # 70 万人 × 1.5‰ = 1050; parents 525; the other 525 by shares: teacher and public tie on
    # .5 and the earlier (teacher) takes the last one
    assert plan.total == 1050
    assert plan.by_group == {
        "parent": 525, "student": 210, "teacher": 158, "principal": 21,
        "npc": 42, "cppcc": 42, "public": 52,
    }  # fmt: skip
    # all three schools are 城区: 1000 : 800 : 1000 pupils → parents 187.5, 150, 187.5
    parents = dict(zip(plan.schools["school_code"], plan.schools["parent"], strict=True))
    assert parents == {"1370830001": 188, "1370830002": 150, "1370830003": 187}


def test_invitations_need_a_school_for_school_groups_and_sane_counts():
    w = build_world()
    survey = _survey(w)
    with pytest.raises(ServiceError, match="须选择本县的一所学校"):
        services.invite(w.users["county"], survey, "parent", "城区", None, 3)
    with pytest.raises(ServiceError, match="须选择本县的一所学校"):
        services.invite(w.users["county"], survey, "parent", "城区", "1410102001", 3)
    with pytest.raises(ServiceError, match="1 到 5000"):
        services.invite(w.users["county"], survey, "npc", "城区", None, 0)
    made = services.invite(w.users["county"], survey, "npc", "乡村", None, 3)
    assert len({i.code for i in made}) == 3 and all(len(i.code) == 10 for i in made)


def test_one_code_one_questionnaire_and_nothing_that_names_the_respondent():
    w = build_world()
    survey = _survey(w)
    (inv,) = services.invite(w.users["county"], survey, "parent", "城区", "1370830001", 1)
    client = Client()
    page = client.get(f"/s/{inv.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "家长" in html and Q.overall.text in html
    done = client.post(f"/s/{inv.code}/", _answers("parent"))
    assert "问卷已提交" in done.content.decode()
    again = client.post(f"/s/{inv.code}/", _answers("parent", "D"))
    assert again.status_code == 409 and "只能填写一次" in again.content.decode()
    (resp,) = SurveyResponse.objects.all()
    assert (resp.group, resp.school_code, resp.answers["overall"]) == ("parent", "1370830001", "A")
    fields = {f.name for f in SurveyResponse._meta.get_fields()}
    assert not fields & {"invitation", "ip", "name", "phone", "user"}


def test_tampered_and_incomplete_returns_are_refused():
    w = build_world()
    survey = _survey(w)
    (inv,) = services.invite(w.users["county"], survey, "npc", "城区", None, 1)
    client = Client()
    bad_option = {**_answers("npc"), "q_equity": "Z"}
    assert client.post(f"/s/{inv.code}/", bad_option).status_code == 409
    foreign_question = {**_answers("npc"), "q_not_asked": "A"}
    assert "问卷内容无效" in client.post(f"/s/{inv.code}/", foreign_question).content.decode()
    no_overall = {k: v for k, v in _answers("npc").items() if k != "q_overall"}
    page = client.post(f"/s/{inv.code}/", no_overall)
    assert page.status_code == 400 and "请回答最后一题" in page.content.decode()
    assert 'value="B" checked' in page.content.decode()  # the answers given are kept
    inv.refresh_from_db()
    assert not inv.used and SurveyResponse.objects.count() == 0
    assert client.get("/s/NOSUCHCODE/").status_code == 404


def test_a_closed_survey_accepts_nothing():
    w = build_world()
    survey = _survey(w)
    (inv,) = services.invite(w.users["county"], survey, "public", "城区", None, 1)
    services.set_open(w.users["county"], survey, False)
    response = Client().post(f"/s/{inv.code}/", _answers("public"))
    assert response.status_code == 409 and "调查已结束" in response.content.decode()
    assert SurveyResponse.objects.count() == 0
    with pytest.raises(WorkflowError):
        services.invite(w.users["county"], survey, "public", "城区", None, 1)


def test_guessing_codes_is_rate_limited():
    client = Client()
    for _ in range(services_limit()):
        assert client.get("/s/WRONGCODE1/").status_code == 404
    assert client.get("/s/WRONGCODE1/").status_code == 429


def services_limit() -> int:
    from junheng.web.survey.views import MAX_BAD_CODES

    return MAX_BAD_CODES


def _paper(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "paper.xlsx"
    write_paper_template(path, Q)
    book = openpyxl.load_workbook(path)
    for r in rows:
        book["纸质问卷"].append(r)
    book.save(path)
    return path


def test_paper_returns_are_taken_whole_or_refused_whole(tmp_path: Path):
    w = build_world()
    survey = _survey(w)
    good = ["1", "家长", "城区", "1370830001", *["A"] * 8]
    from junheng.errors import InputError

    with pytest.raises(InputError):
        services.import_paper(
            w.users["county"],
            survey,
            _paper(tmp_path, [good, ["2", "家长", "城区", "9999999999", *["A"] * 8]]),
        )
    assert SurveyResponse.objects.count() == 0
    assert services.import_paper(w.users["county"], survey, _paper(tmp_path, [good])) == 1
    assert SurveyResponse.objects.get().source == "paper"


def test_results_and_confirmation_fill_the_county_data():
    w = build_world()
    survey = _survey(w)
    invs = services.invite(w.users["county"], survey, "parent", "城区", "1370830002", 4)
    (npc,) = services.invite(w.users["county"], survey, "npc", "镇区", None, 1)
    for inv, overall in zip(invs, ["A", "B", "C", "D"], strict=True):
        services.submit(inv.code, _answers("parent", overall))
    services.submit(npc.code, _answers("npc", "A"))
    services.set_visits(
        w.users["county"],
        survey,
        {"visits": 20, "visits_satisfied": 18, "parent_visits": 10, "parent_visits_satisfied": 9},
    )
    res = services.result(survey)
    # 满意 A, B of 4 parents + the deputy's A = 3 of 5 valid
    assert (res.collected, res.valid, res.satisfied) == (5, 5, 3)
    assert res.parents == {"collected": 4, "valid": 4, "satisfied": 2}
    record = CountyRecord.objects.get(county=w.own, year=YEAR)
    version = record.version
    services.confirm(w.users["county"], survey)
    record.refresh_from_db()
    assert (record.survey_total, record.survey_valid, record.survey_satisfied) == (5, 5, 3)
    assert (record.visits, record.visits_satisfied) == (20, 18)
    assert record.version == version + 1
    assert record.history.first().history_user == w.users["county"]
    with pytest.raises(ServiceError, match="满意人数不能多于走访人数"):
        services.set_visits(
            w.users["county"],
            survey,
            {"visits": 5, "visits_satisfied": 6, "parent_visits": 0, "parent_visits_satisfied": 0},
        )


def test_pages_by_role():
    w = build_world()
    survey = _survey(w)
    services.invite(w.users["county"], survey, "npc", "城区", None, 2)
    client = Client()
    url = f"/county/370830/{YEAR}/survey/"
    assert client.get(url).status_code == 302  # to login
    client.force_login(w.users["county"])
    html = client.get(url).content.decode()
    assert "应抽样本 <b>1050</b> 份" in html and "生成问卷邀请码" in html
    download = client.get(url + "download/invitations/")
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    rows = list(book["问卷邀请码"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2 and rows[0][0] == "人大代表" and rows[0][4].endswith(f"/s/{rows[0][3]}/")
    with zipfile.ZipFile(io.BytesIO(download.content)) as z:
        assert len([n for n in z.namelist() if n.startswith("xl/media/")]) == 2  # the QR codes
    client.force_login(w.users["city"])
    city_html = client.get(url).content.decode()
    assert "满意度结果" in city_html and "生成问卷邀请码" not in city_html
    assert (
        client.post(url + "invite/", {"group": "npc", "area": "城区", "count": "1"}).status_code
        == 302
    )
    assert Invitation.objects.count() == 2
    client.force_login(w.users["school"])
    assert client.get(url).status_code == 404
    client.force_login(w.users["county"])
    assert client.get(f"/county/410102/{YEAR}/survey/").status_code == 404


def test_demo_surveys_add_up_to_the_county_figures():
    from junheng.web.info.services.demo import load_demo
    from junheng.web.survey.demo import load_demo_surveys

    load_demo(counties=2, seed=7)
    assert load_demo_surveys(2026) == 2
    assert load_demo_surveys(2026) == 0  # again: nothing more
    for survey in Survey.objects.all():
        record = CountyRecord.objects.get(county=survey.county, year=2026)
        table = services.result(survey).table6()
        assert (table["survey_total"], table["survey_valid"], table["survey_satisfied"]) == (
            record.survey_total, record.survey_valid, record.survey_satisfied,
        )  # fmt: skip
        assert not survey.is_open


def test_a_province_questionnaire_replaces_the_default_and_answers_keep_their_version():
    from junheng.web.survey.models import QuestionnaireSet

    w = build_world()
    text = (Path(__file__).parent.parent / "src/junheng/survey/questionnaires.toml").read_text(
        "utf-8"
    )
    text = text.replace('version = "2026.1"', 'version = "鲁2026"').replace(
        "您对本县义务教育学校的教育教学质量是否满意？", "您对本县学校的教学质量是否满意？"
    )
    QuestionnaireSet.objects.create(unit_code="370000", text=text, version="鲁2026")
    survey = _survey(w)
    assert survey.version == "鲁2026"
    (inv,) = services.invite(w.users["county"], survey, "public", "城区", None, 1)
    assert "您对本县学校的教学质量是否满意？" in Client().get(f"/s/{inv.code}/").content.decode()
    services.submit(inv.code, _answers("public"))
    assert SurveyResponse.objects.get().version == "鲁2026"


def test_questionnaire_admin_refuses_a_set_without_an_overall_question():
    from junheng.web.survey.admin import QuestionnaireSetForm

    text = (Path(__file__).parent.parent / "src/junheng/survey/questionnaires.toml").read_text(
        "utf-8"
    )
    form = QuestionnaireSetForm({"unit_code": "370000", "text": text.replace("overall = true", "")})
    assert not form.is_valid()
    assert "总体满意度题" in str(form.errors["text"])
    assert not QuestionnaireSetForm({"unit_code": "370000", "text": "version = "}).is_valid()


@pytest.mark.parametrize(("action", "form", "message"), [
    ("invite", {"group": "npc", "area": "城区", "count": "1.5"}, "“数量”应填整数"),
    ("visits", {"visits": "二十"}, "“走访人数”应填整数"),
    ("visits", {"visits": "10", "visits_satisfied": "99999999999"}, "“走访中满意人数”数值过大"),
    ("paper", {}, "请选择纸质问卷录入表"),
])  # fmt: skip
def test_survey_forms_typed_wrong_say_which_field_in_chinese(action, form, message):
    w = build_world()
    survey = _survey(w)
    client = Client()
    client.force_login(w.users["county"])
    url = f"/county/370830/{YEAR}/survey/"
    page = client.post(f"{url}{action}/", form, follow=True)
    assert page.redirect_chain[-1][0] == url
    assert message in page.content.decode()
    survey.refresh_from_db()
    assert Invitation.objects.count() == 0 and survey.visits == 0


def test_a_paper_workbook_with_an_error_is_refused_whole_on_the_page(tmp_path: Path):
    w = build_world()
    _survey(w)
    good = ["1", "家长", "城区", "1370830001", *["A"] * 8]
    bad = ["2", "家长", "城区", "9999999999", *["A"] * 8]
    client = Client()
    client.force_login(w.users["county"])
    with _paper(tmp_path, [good, bad]).open("rb") as f:
        page = client.post(f"/county/370830/{YEAR}/survey/paper/", {"file": f}, follow=True)
    html = page.content.decode()
    assert "共 1 处错误，整个文件未导入" in html and "9999999999" in html
    assert SurveyResponse.objects.count() == 0
