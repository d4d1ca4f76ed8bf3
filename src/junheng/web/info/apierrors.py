"""A service's refusal as the JSON API's status, the same for every app's router."""

from __future__ import annotations

from ninja.errors import HttpError

from .services.errors import (
    NotAllowed,
    ServiceError,
    ValidationFailed,
    VersionConflict,
    WorkflowError,
)


def http_error(exc: ServiceError) -> HttpError:
    """403 not allowed, 409 not in this state (or changed meanwhile), 422 bad values, else 400."""
    if isinstance(exc, NotAllowed):
        return HttpError(403, str(exc))
    if isinstance(exc, VersionConflict | WorkflowError):
        return HttpError(409, str(exc))
    if isinstance(exc, ValidationFailed):
        return HttpError(422, "；".join(f.message for f in exc.findings))
    return HttpError(400, str(exc))
