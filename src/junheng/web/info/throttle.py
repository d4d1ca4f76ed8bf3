"""Login throttling through django-axes."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class LoginThrottle(AxesStandaloneBackend):  # type: ignore[misc]
    """Axes for every login over HTTP; an authentication without a request (a script, the
    test client's ``login``) has no address to throttle and goes straight to the next backend."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> AbstractBaseUser | None:  # fmt: skip
        if request is None:
            return None
        result: AbstractBaseUser | None = super().authenticate(
            request, username, password, **kwargs
        )
        return result
