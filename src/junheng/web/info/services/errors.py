"""Errors of the web services; each carries a Chinese message for the user."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from junheng.errors import Finding, JunhengError


class ServiceError(JunhengError):
    """An action was refused; ``str(exc)`` says why, in Chinese."""


class NotAllowed(ServiceError):
    """The user's role or scope does not allow this action."""


class WorkflowError(ServiceError):
    """The record is not in a state that allows this action (e.g. locked)."""


class VersionConflict(ServiceError):
    """Someone else saved the record after it was opened."""


class ValidationFailed(ServiceError):
    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__("；".join(f.message for f in findings[:5]))


def signed_in(user: User | AnonymousUser) -> User:
    """The account acting, for records that name who did something."""
    if not isinstance(user, User):
        raise NotAllowed("请先登录")
    return user
