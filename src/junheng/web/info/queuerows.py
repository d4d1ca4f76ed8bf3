"""The rows of the county's review queue as HTML: on the county page (a page of 50) and as
the answer to an HTMX approve or return (one row).

Written here rather than in a template: an included template per row was two fifths of the
county page's rendering time. Every value is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import RecordStatus, Role, SchoolRecord
from .scoping import Scope

_REVIEWERS = (Role.COUNTY, Role.ADMIN)


def _actions(r: SchoolRecord, act: str) -> str:
    code = escape(r.school.code)
    out = ""
    if r.status == RecordStatus.SUBMITTED:
        out += (f'<button class="small primary" hx-post="{act.replace("ACTION", "approve")}" '
                f'hx-target="#rec-{code}" hx-swap="outerHTML">审核通过</button>')  # fmt: skip
    if r.status in (RecordStatus.SUBMITTED, RecordStatus.APPROVED):
        out += (f'<form class="inline" hx-post="{act.replace("ACTION", "return")}" '
                f'hx-target="#rec-{code}" hx-swap="outerHTML">'
                '<input name="reason" placeholder="退回原因" required size="10">'
                '<button class="small">退回</button></form>')  # fmt: skip
    return out


def queue_rows(records: Iterable[SchoolRecord], year: int, scope: Scope) -> SafeString:
    """One ``<tr>`` per record: code, name (a link to its form), status with the reason of
    a return, the last save, and approve / return for the county."""
    form = reverse("school_edit", args=["CODE", year])
    act = reverse("record_action", args=["CODE", year, "ACTION"])
    review = scope.role in _REVIEWERS
    rows = []
    for r in records:
        code = escape(r.school.code)
        note = f'<div class="note">{escape(r.status_note)}</div>' if r.status_note else ""
        saved = timezone.localtime(r.updated_at).strftime("%Y-%m-%d %H:%M") if r.updated_at else ""
        actions = _actions(r, act.replace("CODE", code)) if review else ""
        rows.append(
            f'<tr id="rec-{code}"><td>{code}</td>'
            f'<td><a href="{form.replace("CODE", code)}">{escape(r.name or r.school.name)}</a></td>'
            f'<td><span class="status s-{escape(r.status)}">{escape(r.get_status_display())}</span>{note}</td>'
            f'<td>{saved}</td><td class="actions">{actions}</td></tr>'
        )  # fmt: skip
    return mark_safe("".join(rows))  # every value above is escaped
