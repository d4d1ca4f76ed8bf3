"""The 推荐表 in the web app: texts by the county and the province, figures from the records."""

from __future__ import annotations

from django.db.models import Max

from junheng.process.recommend import RecommendForm, counts
from junheng.web.info.models import County, CountyRecord, SchoolRecord
from junheng.web.info.scoping import Actor, scope_of, scoped
from junheng.web.info.services.errors import NotAllowed

from .models import Recommendation


def form_of(county: County) -> tuple[RecommendForm, int | None]:
    """The form filled from the latest year's records; and that year."""
    year = SchoolRecord.objects.filter(school__county=county).aggregate(y=Max("year"))["y"]
    schools = list(
        SchoolRecord.objects.filter(school__county=county, year=year).values(
            "urban_rural", "p_students", "j_students", "p_teachers", "j_teachers"
        )
    ) if year else []  # fmt: skip
    crec = CountyRecord.objects.filter(county=county, year=year).first() if year else None
    rec = Recommendation.objects.filter(county=county).first()
    s, p, t = counts(schools)
    return RecommendForm(
        province=county.city.province.name, county=county.name,
        basic_year=crec.basic_year if crec else None, schools=s, pupils=p, teachers=t,
        situation=rec.situation if rec else "", approach=rec.approach if rec else "",
        opinion=rec.opinion if rec else "",
    ), year  # fmt: skip


def save(user: Actor, county: County, values: dict[str, str]) -> Recommendation:
    """The county writes the situation and approach; the province writes its opinion."""
    scope = scope_of(user)
    if not scoped(user, County.objects.filter(pk=county.pk)).exists():
        raise NotAllowed("无权填写该区县的推荐表")
    fields = []
    if scope.may("edit_county"):
        fields += ["situation", "approach"]
    if scope.may("targets"):
        fields += ["opinion"]
    if not fields:
        raise NotAllowed("无权填写推荐表")
    rec, _ = Recommendation.objects.get_or_create(county=county)
    for f in fields:
        if f in values:
            setattr(rec, f, values[f].strip()[:5000])
    rec.save()
    return rec
