"""Error pages in Chinese with the menu and 退出, and guards that turn bad input into a 4xx.

Django's own 400/403/404/500 and CSRF pages are bare English; views that answer a refusal
with a short text (``HttpResponseForbidden("无权…")``) would show that text alone. The
middleware wraps such answers in the site's page so the user always has a way back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.template.response import TemplateResponse

TITLES = {
    400: "请求有误",
    403: "无权访问",
    404: "页面不存在",
    405: "不支持的操作",
    409: "当前状态下不能执行此操作",
    500: "系统内部错误",
}
DEFAULTS = {
    400: "提交的内容无法处理，请返回上一页检查后重试。",
    403: "您的账号没有访问此页面或执行此操作的权限。",
    404: "您要找的页面不存在，或不在您管辖的范围内。",
    405: "此页面不能这样打开，请使用页面上的按钮。",
    409: "数据的状态已改变，请刷新后重试。",
    500: "处理请求时出错，已记录。请稍后重试；如果反复出现，请联系系统管理员。",
}
MAX_YEAR_DIGITS = 4
MAX_ID = 2**31 - 1


def error_page(request: HttpRequest, status: int, message: str = "") -> HttpResponse:
    context = {"status": status, "title": TITLES.get(status, "出错了"),
               "message": message or DEFAULTS.get(status, "")}  # fmt: skip
    html: str
    try:
        html = loader.render_to_string("info/error.html", context, request)
    except Exception:
        html = (
            f"<!doctype html><meta charset='utf-8'><title>{context['title']}</title>"
            f"<h1>{context['title']}</h1><p>{context['message']}</p>"
            "<p><a href='/'>返回首页</a> · <a href='/logout/'>退出</a></p>"
        )
    response = HttpResponse(html, status=status)
    response.junheng_page = True  # type: ignore[attr-defined]
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page(
        request, 403, "页面已过期（安全校验未通过）。请刷新页面后重新提交；如已退出，请重新登录。"
    )


class ErrorPageMiddleware:
    """Bad ids in the URL become a 404 before any query; bare refusals get the full page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code in TITLES
            and not getattr(response, "junheng_page", False)
            and not isinstance(response, TemplateResponse)
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(("/api/", "/admin/", "/static/"))
            and not request.headers.get("HX-Request")
            and not getattr(response, "streaming", False)
        ):
            text = response.content.decode("utf-8", "replace").strip()
            if not text.lstrip().startswith("<"):
                return error_page(request, response.status_code, text)
        return response

    def process_view(self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...],
                     kwargs: dict[str, Any]) -> HttpResponse | None:  # fmt: skip
        year = kwargs.get("year")
        if isinstance(year, int) and len(str(year)) > MAX_YEAR_DIGITS:
            return error_page(request, 404, f"年度“{year}”无效：应为四位年份，如 2026。")
        pk = kwargs.get("pk")
        if isinstance(pk, int) and pk > MAX_ID:
            return error_page(request, 404)
        return None
