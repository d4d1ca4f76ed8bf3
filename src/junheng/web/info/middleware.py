"""Request handling around every view: HTMX requests of an expired session, security
headers, and keeping a working session alive."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

Handler = Callable[[HttpRequest], HttpResponseBase]

# ECharts and HTMX set inline styles; no page has an inline script
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class HtmxLoginRedirect:
    """An HTMX request whose session expired would get the login page swapped into the form;
    instead the whole page goes to the login, which returns to the page afterwards (the
    typed input waits in the browser's sessionStorage, see form.js)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request")
            and response.status_code == 302
            and str(response.get("Location", "")).startswith(str(settings.LOGIN_URL))
        ):
            page = urlsplit(request.headers.get("HX-Current-URL", "")).path or "/"
            login = f"{settings.LOGIN_URL}?next={quote(page, safe='/')}"
            return HttpResponse(status=200, headers={"HX-Redirect": login})
        return response


class SecurityHeaders:
    """A Content-Security-Policy on every page (the API docs need their own inline set-up)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not request.path.startswith("/api/docs") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CSP
        return response


class SessionKeepAlive:
    """A working clerk stays signed in (the session ends 8 hours after the last activity)
    without a database write on every request: the session's expiry moves forward at most
    once per ``SESSION_REFRESH_SECONDS``, so a session ends between 8 hours and 8 hours plus
    that interval after the last request."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = int(time.time())
            if now - int(session.get("_touched", 0)) >= settings.SESSION_REFRESH_SECONDS:
                session["_touched"] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)
