"""A finished survey for every demo county, whose returns add up to the county's 表Ⅵ figures."""

from __future__ import annotations

import math

from django.db import transaction
from django.utils import timezone

from junheng.survey import GROUPS, default_questionnaire
from junheng.web.info.models import CountyRecord

from .models import Survey, SurveyResponse

# how often each question (by position) draws a 不满意, so the weakest ones differ in the demo
_DISLIKE_EVERY = (9, 23, 7, 31, 11, 17, 5, 0)


def load_demo_surveys(year: int) -> int:
    """Create the surveys not yet there; returns how many were created."""
    q = default_questionnaire()
    others = [g for g in GROUPS if g != "parent"]
    made = 0
    with transaction.atomic():
        for record in CountyRecord.objects.filter(year=year).select_related("county"):
            if Survey.objects.filter(county=record.county, year=year).exists():
                continue
            total = record.survey_total or 0
            valid = min(record.survey_valid or 0, total)
            satisfied = min(record.survey_satisfied or 0, valid)
            survey = Survey.objects.create(
                county=record.county, year=year, questionnaire=q.to_dict(), version=q.version,
                is_open=False, visits=record.visits or 0,
                visits_satisfied=record.visits_satisfied or 0, confirmed_at=timezone.now(),
            )  # fmt: skip
            parents = math.ceil(total / 2)
            rows = []
            for i in range(total):
                group = "parent" if i < parents else others[i % len(others)]
                answers: dict[str, str] = {}
                for j, question in enumerate(q.for_group(group)):
                    if question.overall:
                        if i < valid:
                            answers[question.id] = "A" if i < satisfied else "D"
                        continue
                    every = _DISLIKE_EVERY[j % len(_DISLIKE_EVERY)]
                    answers[question.id] = "D" if every and i % every == 0 else "B"
                rows.append(
                    SurveyResponse(
                        survey=survey,
                        group=group,
                        area=("城区", "镇区", "乡村")[i % 3],
                        version=q.version,
                        answers=answers,
                        source="paper",
                    )
                )
            SurveyResponse.objects.bulk_create(rows, batch_size=2000)
            made += 1
    return made
