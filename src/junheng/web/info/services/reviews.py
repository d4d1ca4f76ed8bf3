"""The city's review of a county's evaluation, the province's standard and targets."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError

from ..models import CityReview, County, EvaluationRun, Province, ProvinceTarget
from ..models.units import known_standard
from ..scoping import Actor, scope_of, scoped
from .errors import NotAllowed, ServiceError, WorkflowError, signed_in
from .records import stamp
from .workflow import data_fingerprint, data_locked

FIRST_YEAR, LAST_YEAR = 2000, 2100


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ServiceError(f"年度“{year}”无效：应为{FIRST_YEAR}–{LAST_YEAR}之间的四位年份")
    return year


def reviewable_run(county: County, year: int) -> EvaluationRun | None:
    """The evaluation a city may review: the latest one, of locked data, not changed since."""
    run = (
        EvaluationRun.objects.filter(county=county, year=year)
        .defer("display")
        .order_by("-created_at", "-pk")
        .first()
    )
    if run is None or not data_locked(county, year):
        return None
    if run.fingerprint and run.fingerprint != data_fingerprint(county, year):
        return None
    return run


def record_city_review(user: Actor, county: County, year: int, decision: str,
                       comment: str) -> CityReview:  # fmt: skip
    """A city records 同意上报 or 退回整改, only on a locked evaluation of its own county."""
    if (
        not scope_of(user).may("city_review")
        or not scoped(user, County.objects.filter(pk=county.pk)).exists()
    ):
        raise NotAllowed("无权进行市级复核")
    check_year(year)
    if decision not in CityReview.Decision.values:
        raise ServiceError("请选择复核意见：同意上报或退回整改")
    run = reviewable_run(county, year)
    if run is None:
        raise WorkflowError(
            f"{county.name}{year}年的数据尚未评估并锁定，不能进行市级复核；请等区县评估并锁定后再复核"
        )
    review = CityReview(county=county, year=year, decision=decision, comment=comment.strip()[:2000],
                        reviewer=signed_in(user), run=run)  # fmt: skip
    stamp(review, user)
    review.save()
    return review


def set_province_standard(user: Actor, province: Province, standard: str) -> Province:
    """The province chooses the standard all its counties are evaluated against."""
    if (
        not scope_of(user).may("targets")
        or not scoped(user, Province.objects.filter(pk=province.pk)).exists()
    ):
        raise NotAllowed("无权设置本省的评估标准")
    try:
        known_standard(standard)
    except ValidationError as exc:
        raise ServiceError("；".join(exc.messages)) from exc
    province.standard = standard
    province.save(update_fields=["standard"])
    return province


def set_target(user: Actor, province: Province, year: int, share: float) -> ProvinceTarget:
    if (
        not scope_of(user).may("targets")
        or not scoped(user, Province.objects.filter(pk=province.pk)).exists()
    ):
        raise NotAllowed("无权设置创建目标")
    check_year(year)
    if not math.isfinite(share) or not 0 <= share <= 100:
        raise ServiceError("认定区县占比应在0到100之间")
    target, _ = ProvinceTarget.objects.get_or_create(
        province=province, year=year, defaults={"share": share}
    )
    target.share = share
    stamp(target, user)
    target.save()
    return target
