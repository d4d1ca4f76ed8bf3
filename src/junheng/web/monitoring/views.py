"""Annual consolidation monitoring pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from junheng.web.info import selectors as info_sel
from junheng.web.info.scoping import scope_of


@login_required
def province_page(request: HttpRequest, code: str) -> HttpResponse:
    province = info_sel.province_in_scope(request.user, code)
    return render(request, "monitoring/province.html",
                  {"province": province, "rows": [], "scope": scope_of(request.user)})  # fmt: skip
