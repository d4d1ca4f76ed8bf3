"""Open ledger items and monitoring warnings of counties, for the city and province overviews.

Read through the ledger and monitoring apps' own selectors, which go through the one scoping
function; the information base does not depend on those apps, so a missing app gives ``None``
(the overview then says it has no such data).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps

from junheng.reports.progress import OpenItem, Progress, Watch

from ..models import County
from ..scoping import Actor


def _ledger(user: Actor, counties: Iterable[County]) -> dict[str, list[OpenItem]] | None:
    if not apps.is_installed("junheng.web.ledger"):
        return None
    from junheng.web.ledger import selectors as ledger

    chosen = County.objects.filter(pk__in=[c.pk for c in counties])
    out: dict[str, list[OpenItem]] = {}
    for item in ledger.region_items(user, chosen):  # open items, overdue first, then deadline
        out.setdefault(item.county.code, []).append(
            OpenItem(
                title=item.title,
                due=item.deadline.isoformat() if item.deadline else "",
                status=item.status,
                overdue=ledger.overdue(item),
            )
        )
    return out


def _monitoring(user: Actor, counties: Iterable[County]) -> dict[str, Watch] | None:
    if not (
        apps.is_installed("junheng.web.monitoring") and apps.is_installed("junheng.web.creation")
    ):
        return None
    from junheng.web.monitoring import selectors as monitoring

    chosen = County.objects.filter(pk__in=[c.pk for c in counties])
    return {
        w.county.code: Watch(year=w.year, alerts=tuple(w.alerts))
        for w in monitoring.recognised_counties(user, chosen)
    }


def region_progress(user: Actor, counties: Iterable[County]) -> Progress:
    """The ledger and monitoring records of *counties* the user may see."""
    counties = list(counties)
    return Progress(ledger=_ledger(user, counties), monitoring=_monitoring(user, counties))


__all__ = ["region_progress"]
