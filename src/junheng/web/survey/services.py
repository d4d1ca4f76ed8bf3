"""What a county does with its survey, and what an anonymous respondent may do."""

from __future__ import annotations

import secrets
import tomllib
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from junheng.contract import URBAN_RURAL
from junheng.standard import load_standard
from junheng.survey import (
    GROUPS,
    RESPONSE_SCHEMA,
    Questionnaire,
    SamplingError,
    SamplingPlan,
    SurveyResult,
    Visits,
    default_questionnaire,
    plan_sample,
    questionnaire_from_dict,
    read_paper,
    survey_result,
)
from junheng.web.info.models import County, CountyRecord, School, SchoolRecord
from junheng.web.info.scoping import Actor, scope_of, scoped
from junheng.web.info.services.errors import NotAllowed, ServiceError, WorkflowError, signed_in
from junheng.web.info.services.records import save_county_record

from .models import Invitation, QuestionnaireSet, Survey, SurveyResponse

# no 0/O, 1/I/L: codes are typed from paper as often as scanned
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
MAX_INVITATIONS = 5000
SCHOOL_GROUPS = ("student", "parent", "teacher")


class InvalidCode(ServiceError):
    """An invitation code that does not exist."""


class Incomplete(ServiceError):
    """The return lacks the answer that decides it; the form is shown again."""


def _manage(user: Actor, survey_county: County) -> None:
    if (
        not scope_of(user).may("edit_county")
        or not scoped(user, County.objects.filter(pk=survey_county.pk)).exists()
    ):
        raise NotAllowed("只有本区县督导可以管理本县的社会认可度调查")


def questionnaire(survey: Survey) -> Questionnaire:
    return questionnaire_from_dict(survey.questionnaire)


def questionnaire_for(county: County) -> Questionnaire:
    """The county's own set, else its province's, else the default."""
    for unit in (county.code, county.code[:2] + "0000"):
        own = QuestionnaireSet.objects.filter(unit_code=unit).order_by("-created_at").first()
        if own is not None:
            return questionnaire_from_dict(tomllib.loads(own.text))
    return default_questionnaire()


def create_survey(user: Actor, county: County, year: int) -> Survey:
    _manage(user, county)
    if Survey.objects.filter(county=county, year=year).exists():
        raise WorkflowError(f"{county.name}{year}年的调查已经创建")
    q = questionnaire_for(county)
    return Survey.objects.create(
        county=county, year=year, questionnaire=q.to_dict(), version=q.version,
        created_by=signed_in(user),
    )  # fmt: skip


def sampling_plan(survey: Survey) -> SamplingPlan:
    record = CountyRecord.objects.filter(county=survey.county, year=survey.year).first()
    rows = SchoolRecord.objects.filter(school__county=survey.county, year=survey.year).values(
        "school__code", "name", "urban_rural", "p_students", "j_students", "s_students",
        "p_teachers", "j_teachers",
    )  # fmt: skip
    frame = pl.DataFrame(
        list(rows),
        schema={
            "school__code": pl.String, "name": pl.String, "urban_rural": pl.String,
            "p_students": pl.Int64, "j_students": pl.Int64, "s_students": pl.Int64,
            "p_teachers": pl.Int64, "j_teachers": pl.Int64,
        },
    )  # fmt: skip
    schools = frame.select(
        school_code="school__code",
        school_name=pl.col("name").fill_null(""),
        urban_rural=pl.col("urban_rural").fill_null("城区"),
        students=pl.sum_horizontal("p_students", "j_students", "s_students"),
        teachers=pl.sum_horizontal("p_teachers", "j_teachers"),
    )
    population = record.population if record else None
    return plan_sample(population, schools, load_standard())


def invite(
    user: Actor, survey: Survey, group: str, area: str, school_code: str | None, count: int
) -> list[Invitation]:
    """``count`` one-time codes for one group, area and (for school groups) school."""
    _manage(user, survey.county)
    if group not in GROUPS:
        raise ServiceError(f"未知的调查对象：{group}")
    if area not in URBAN_RURAL:
        raise ServiceError("城乡应为城区、镇区或乡村")
    if not 1 <= count <= MAX_INVITATIONS:
        raise ServiceError(f"一次生成的邀请码数量应在 1 到 {MAX_INVITATIONS} 之间")
    school = None
    if group in SCHOOL_GROUPS:
        school = School.objects.filter(county=survey.county, code=school_code or "").first()
        if school is None:
            raise ServiceError("学生、家长、教师问卷须选择本县的一所学校")
    if not survey.is_open:
        raise WorkflowError("调查已结束，不能再生成邀请码")
    made = [
        Invitation(
            survey=survey, group=group, area=area, school=school,
            code="".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)),
        )
        for _ in range(count)
    ]  # fmt: skip
    return Invitation.objects.bulk_create(made)


def invitation_for(code: str) -> Invitation:
    inv = (
        Invitation.objects.select_related("survey__county", "school")
        .filter(code=code.strip().upper())
        .first()
    )
    if inv is None:
        raise InvalidCode("邀请码无效，请核对链接或二维码")
    return inv


def check_open(inv: Invitation) -> None:
    if not inv.survey.is_open:
        raise WorkflowError("本次调查已结束，感谢您的关注")
    if inv.used:
        raise WorkflowError("这个邀请码已经填写过问卷：每个邀请码只能填写一次")


def submit(code: str, posted: dict[str, str]) -> None:
    """One questionnaire through one code. The group comes from the code, never from the form,
    and any answer that is not an option of a question put to that group refuses the whole
    return."""
    with transaction.atomic():
        inv = invitation_for(code)
        # lock the invitation row alone: PostgreSQL refuses FOR UPDATE across the nullable school
        inv = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("survey", "school")
            .get(pk=inv.pk)
        )
        check_open(inv)
        q = questionnaire(inv.survey)
        asked = {x.id for x in q.for_group(inv.group)}
        answers: dict[str, str] = {}
        for key, value in posted.items():
            if not key.startswith("q_"):
                continue
            qid = key[2:]
            if qid not in asked or (value and q.option(value) is None):
                raise ServiceError("问卷内容无效，请重新打开链接填写")
            if value:
                answers[qid] = value
        if q.overall.id not in answers:
            raise Incomplete(f"请回答最后一题“{q.overall.text_for(inv.group)}”")
        SurveyResponse.objects.create(
            survey=inv.survey, group=inv.group, area=inv.area,
            school_code=inv.school.code if inv.school else "", version=inv.survey.version,
            answers=answers,
        )  # fmt: skip
        inv.used = True
        inv.save(update_fields=["used"])


def import_paper(user: Actor, survey: Survey, path: Path) -> int:
    """Paper questionnaires from the entry workbook: all of them, or none (InputError)."""
    _manage(user, survey.county)
    if not survey.is_open:
        raise WorkflowError("调查已结束，不能再录入纸质问卷")
    codes = set(School.objects.filter(county=survey.county).values_list("code", flat=True))
    frame = read_paper(path, questionnaire(survey), codes)
    per_q = frame.group_by("questionnaire", maintain_order=True).agg(
        pl.col("group").first(), pl.col("area").first(), pl.col("school_code").first(),
        pl.col("question"), pl.col("answer"),
    )  # fmt: skip
    rows = [
        SurveyResponse(
            survey=survey, group=r["group"], area=r["area"], school_code=r["school_code"] or "",
            version=survey.version, source="paper",
            answers=dict(zip(r["question"], r["answer"], strict=True)),
        )
        for r in per_q.iter_rows(named=True)
    ]  # fmt: skip
    with transaction.atomic():
        SurveyResponse.objects.bulk_create(rows)
    return len(rows)


def set_visits(user: Actor, survey: Survey, values: dict[str, int]) -> Survey:
    _manage(user, survey.county)
    v = Visits(
        values["visits"], values["visits_satisfied"],
        values["parent_visits"], values["parent_visits_satisfied"],
    )  # fmt: skip
    if min(v.visited, v.satisfied, v.parents_visited, v.parent_survey_satisfied) < 0:
        raise ServiceError("走访人数不能为负数")
    if v.satisfied > v.visited or v.parent_survey_satisfied > v.parents_visited:
        raise ServiceError("满意人数不能多于走访人数")
    if v.parents_visited > v.visited:
        raise ServiceError("走访家长人数不能多于走访总人数")
    for key, value in values.items():
        setattr(survey, key, value)
    survey.save()
    return survey


def set_open(user: Actor, survey: Survey, is_open: bool) -> Survey:
    _manage(user, survey.county)
    survey.is_open = is_open
    survey.save(update_fields=["is_open"])
    return survey


def result(survey: Survey) -> SurveyResult:
    records: list[dict[str, Any]] = [
        {
            "questionnaire": str(pk), "group": group, "area": area,
            "school_code": school or None, "question": qid, "answer": answer,
        }
        for pk, group, area, school, answers in survey.responses.values_list(
            "pk", "group", "area", "school_code", "answers"
        )
        for qid, answer in answers.items()
    ]  # fmt: skip
    visits = Visits(
        survey.visits, survey.visits_satisfied, survey.parent_visits,
        survey.parent_visits_satisfied,
    )  # fmt: skip
    planned: int | None
    try:
        planned = sampling_plan(survey).total
    except SamplingError:  # no population yet: the page shows the plan's own message
        planned = None
    return survey_result(
        pl.DataFrame(records, schema=RESPONSE_SCHEMA), questionnaire(survey), load_standard(),
        visits, planned,
    )  # fmt: skip


def confirm(user: Actor, survey: Survey) -> CountyRecord:
    """Write the survey's 表Ⅵ figures into the county's data, with the usual history."""
    _manage(user, survey.county)
    record = CountyRecord.objects.filter(county=survey.county, year=survey.year).first()
    if record is None:
        raise WorkflowError(f"{survey.county.name}{survey.year}年还没有区县数据，请先填报区县数据")
    fields = {f.name for f in CountyRecord._meta.get_fields()}
    values = {k: v for k, v in result(survey).table6().items() if k in fields}
    saved = save_county_record(user, record, values, record.version)
    survey.confirmed_at = timezone.now()
    survey.save(update_fields=["confirmed_at"])
    return saved
