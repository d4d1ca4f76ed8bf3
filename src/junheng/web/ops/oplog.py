"""Structured logs: one JSON line for every change to the data and every refused access.

The audit history (simple-history) keeps the old and new values in the database; the log says
who changed which row when, for the operator's log collector, without the values themselves.
Refusals are the 401/403/404 answers, failed logins and django-axes lockouts. Survey answer
links carry a one-time code and answers are anonymous: their path and address are never logged.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.signals import user_login_failed
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponseBase
from simple_history.models import HistoricalRecords

log = logging.getLogger("junheng.audit")

REFUSED = (401, 403, 404)
# everything a LogRecord carries on its own; the rest came in through ``extra``
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}
_SECRET_PATH = re.compile(r"^/s/[^/]+/?")
_TRACKED_APPS = {"auth"}  # plus every junheng app (see _tracked)


class JsonLines(logging.Formatter):
    """A log record as one line of JSON: time (UTC, ISO), level, logger, message and extras."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        out.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def _path(request: HttpRequest) -> str:
    return _SECRET_PATH.sub("/s/…/", request.path)


def _anonymous_form(request: HttpRequest) -> bool:
    return bool(_SECRET_PATH.match(request.path))


def who(request: HttpRequest | None) -> dict[str, Any]:
    """The actor of a request: user, role, unit, address, method and path."""
    if request is None:
        return {"user": None, "via": "script"}
    from junheng.web.info.scoping import scope_of

    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    scope = scope_of(user) if user is not None and signed_in else None
    out: dict[str, Any] = {
        "user": user.get_username() if user is not None and signed_in else None,
        "role": scope.role if scope else None,
        "unit": scope.unit if scope else None,
        "method": request.method,
        "path": _path(request),
    }
    if not _anonymous_form(request):
        out["ip"] = request.META.get("REMOTE_ADDR")
    return out


def _current_request() -> HttpRequest | None:
    # set by simple-history's HistoryRequestMiddleware for the duration of each request
    return getattr(HistoricalRecords.context, "request", None)


def _tracked(sender: type[Model]) -> bool:
    meta = sender._meta
    if sender.__name__.startswith("Historical"):
        return False  # the audit rows themselves
    return meta.app_label in _TRACKED_APPS or sender.__module__.startswith("junheng.")


def _saved(sender: type[Model], instance: Model, created: bool, **kw: Any) -> None:
    if not _tracked(sender):
        return
    fields = kw.get("update_fields")
    if fields is not None and set(fields) <= {"last_login"}:
        return  # a login, not a change
    _change("create" if created else "update", sender, instance)


def _deleted(sender: type[Model], instance: Model, **kw: Any) -> None:
    if _tracked(sender):
        _change("delete", sender, instance)


def _change(action: str, sender: type[Model], instance: Model) -> None:
    log.info(
        "%s %s %s", action, sender._meta.label_lower, instance.pk,
        extra={"event": "change", "action": action, "model": sender._meta.label_lower,
               "pk": instance.pk, **who(_current_request())},
    )  # fmt: skip


def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                  **kw: Any) -> None:  # fmt: skip
    log.warning(
        "login failed",
        extra={"event": "login_failed", "username": str(credentials.get("username", ""))[:150],
               **who(request)},
    )  # fmt: skip


def _locked_out(sender: Any, request: HttpRequest | None = None, username: str | None = None,
                ip_address: str | None = None, **kw: Any) -> None:  # fmt: skip
    log.warning(
        "login locked out",
        extra={"event": "lockout", "username": (username or "")[:150], **who(request),
               "ip": ip_address},
    )  # fmt: skip


def refused(request: HttpRequest, status: int) -> None:
    log.warning(
        "refused %s %s", status, _path(request),
        extra={"event": "refused", "status": status, **who(request)},
    )  # fmt: skip


class RefusalLog:
    """Logs every 401/403/404 answer, whichever view or middleware gave it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code in REFUSED:
            refused(request, response.status_code)
        return response


def connect() -> None:
    from axes.signals import user_locked_out

    post_save.connect(_saved, dispatch_uid="junheng-oplog-save")
    post_delete.connect(_deleted, dispatch_uid="junheng-oplog-delete")
    user_login_failed.connect(_login_failed, dispatch_uid="junheng-oplog-login")
    user_locked_out.connect(_locked_out, dispatch_uid="junheng-oplog-lockout")
