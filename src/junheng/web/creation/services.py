"""Creation plans: a city files the year each of its counties plans to apply."""

from __future__ import annotations

from django.db import transaction

from junheng.process.plan import PlanError, check_year
from junheng.web.info.models import County
from junheng.web.info.scoping import Actor, scope_of, scoped
from junheng.web.info.services.errors import NotAllowed, ServiceError, signed_in

from .models import CreationPlan


def set_plan(user: Actor, county: County, year: int, reason: str = "") -> CreationPlan:
    """Record or change the planned year; a change needs its reason (kept in the history)."""
    scope = scope_of(user)
    if not (
        scope.may("city_review") and scoped(user, County.objects.filter(pk=county.pk)).exists()
    ):
        raise NotAllowed("只有所属地市可以填报区县的创建规划")
    try:
        check_year(year, "计划申报年度")  # as the page calls it
    except PlanError as exc:
        raise ServiceError(str(exc)) from None
    reason = reason.strip()[:300]
    with transaction.atomic():
        plan = CreationPlan.objects.select_for_update().filter(county=county).first()
        if plan is None:
            return CreationPlan.objects.create(county=county, planned_year=year, reason=reason,
                                               updated_by=signed_in(user))  # fmt: skip
        if plan.planned_year == year:
            return plan
        if not reason:
            raise ServiceError(
                f"调整{county.name}的计划申报年度（{plan.planned_year}年→{year}年）须填写调整原因"
            )
        plan.planned_year, plan.reason, plan.updated_by = year, reason, signed_in(user)
        plan.save()
        return plan
