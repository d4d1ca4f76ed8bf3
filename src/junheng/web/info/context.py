from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from .models import SchoolRecord
from .scoping import scope_of, scoped
from .services.years import years_with_data


def role(request: HttpRequest) -> dict[str, Any]:
    """The user's scope for the navigation bar."""
    return {"scope": scope_of(request.user)}


def year_switch(request: HttpRequest) -> dict[str, Any]:
    """Links to the same page in each year with data (the page's own year included); pages
    without a year in their address link through the home page, which opens that year."""
    match = request.resolver_match
    if not request.user.is_authenticated or match is None or ":" in (match.view_name or ""):
        return {}
    if request.method == "POST" and request.headers.get("HX-Request"):
        return {}  # an HTMX post is answered with a part of the page, without the menu bar
    current = match.kwargs.get("year")
    if match.view_name == "school_edit":  # only years in which this school has a record
        found = sorted(scoped(request.user, SchoolRecord.objects.filter(school__code=match.kwargs["code"]))
                       .values_list("year", flat=True), reverse=True)  # fmt: skip
    else:
        found = years_with_data(request.user)
    if current is None:
        try:
            current = int(request.GET.get("year", ""))
        except ValueError:
            current = found[0] if found else None
    shown = sorted(set(found) | ({current} if current else set()), reverse=True)
    links = []
    for y in shown:
        if "year" in match.kwargs:
            url = reverse(match.view_name, kwargs={**match.kwargs, "year": y})
        else:
            url = f"{request.path}?year={y}" if match.view_name == "import" else f"/?year={y}"
        links.append({"year": y, "url": url, "current": y == current})
    return {"year_links": links}
