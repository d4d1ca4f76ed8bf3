"""Plans and chain progress of the counties in a user's scope, as the core's CountyPlan."""

from __future__ import annotations

from django.db.models import QuerySet

from junheng.process.plan import CountyPlan
from junheng.web.info.models import CityReview, County, EvaluationRun, Province
from junheng.web.info.scoping import Actor, scoped

from .models import ChainStep, CreationPlan, Step


def counties_in_scope(user: Actor, counties: QuerySet[County]) -> QuerySet[County]:
    return scoped(user, counties).select_related("city").order_by("city__code", "code")


def _first(years: dict[int, int], county_id: int, year: int) -> None:
    if county_id not in years or year < years[county_id]:
        years[county_id] = year


def county_plans(user: Actor, counties: QuerySet[County]) -> list[CountyPlan]:
    cs = list(counties_in_scope(user, counties))
    ids = [c.pk for c in cs]
    planned = {p.county_id: p.planned_year for p in CreationPlan.objects.filter(county_id__in=ids)}
    steps: dict[str, dict[int, int]] = {s: {} for s in Step.values}
    for st in ChainStep.objects.filter(county_id__in=ids, passed=True):
        _first(steps[st.step], st.county_id, st.year)
    # a locked evaluation is a self-evaluation; the information base's city reviews count too
    for run in EvaluationRun.objects.filter(county_id__in=ids, locked=True):
        _first(steps[Step.SELF], run.county_id, run.year)
    for rv in CityReview.objects.filter(county_id__in=ids, decision=CityReview.Decision.AGREE):
        _first(steps[Step.CITY], rv.county_id, rv.year)
    return [
        CountyPlan(
            code=c.code, name=c.name, city=c.city.name, planned_year=planned.get(c.pk),
            self_evaluated=steps[Step.SELF].get(c.pk), city_reviewed=steps[Step.CITY].get(c.pk),
            recommended=steps[Step.PROVINCE].get(c.pk), recognised=steps[Step.NATIONAL].get(c.pk),
        )
        for c in cs
    ]  # fmt: skip


def targets_of(province: Province) -> dict[int, float]:
    return {t.year: t.share for t in province.targets.all()}


def plan_history(county: County) -> list[CreationPlan]:
    plan = CreationPlan.objects.filter(county=county).first()
    return list(plan.history.order_by("-history_date")) if plan else []
