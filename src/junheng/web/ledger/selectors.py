"""Ledger queries, always inside the user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from junheng.web.info.models import County
from junheng.web.info.scoping import Actor, scoped

from .models import LedgerItem

State = LedgerItem.State
_FAR = date.max


def items_in_scope(user: Actor) -> QuerySet[LedgerItem]:
    return LedgerItem.objects.filter(county__in=scoped(user, County.objects.all())).select_related(
        "county__city", "unit", "source_run", "proof_run"
    )


def overdue(item: LedgerItem) -> bool:
    return (
        item.deadline is not None
        and item.status != State.CLOSED
        and item.deadline < timezone.localdate()
    )


def county_items(user: Actor, county: County) -> list[LedgerItem]:
    """By 责任单位, then deadline; closed items last."""
    items = list(items_in_scope(user).filter(county=county))
    return sorted(items, key=lambda i: (i.status == State.CLOSED, i.unit.order if i.unit else 999,
                                        i.unit_id or 0, i.deadline or _FAR, i.pk))  # fmt: skip


def region_items(user: Actor, counties: QuerySet[County]) -> list[LedgerItem]:
    """Open items of many counties, overdue first, then by deadline."""
    items = [i for i in items_in_scope(user).filter(county__in=counties)
             if i.status != State.CLOSED]  # fmt: skip
    return sorted(items, key=lambda i: (not overdue(i), i.deadline or _FAR, i.county.code, i.pk))


@dataclass(frozen=True, slots=True)
class Tally:
    total: int
    closed: int
    reported: int
    overdue: int

    @property
    def open(self) -> int:
        return self.total - self.closed


def tally(items: list[LedgerItem]) -> Tally:
    return Tally(
        total=len(items),
        closed=sum(1 for i in items if i.status == State.CLOSED),
        reported=sum(1 for i in items if i.status == State.REPORTED),
        overdue=sum(1 for i in items if overdue(i)),
    )


def county_tallies(user: Actor, counties: QuerySet[County]) -> list[tuple[County, Tally]]:
    by_county: dict[int, list[LedgerItem]] = {}
    for i in items_in_scope(user).filter(county__in=counties):
        by_county.setdefault(i.county_id, []).append(i)
    return [(c, tally(by_county.get(c.pk, []))) for c in counties.order_by("code")]
