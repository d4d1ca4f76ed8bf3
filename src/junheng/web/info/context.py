from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .scoping import scope_of


def role(request: HttpRequest) -> dict[str, Any]:
    """The user's scope for the navigation bar."""
    return {"scope": scope_of(request.user)}
