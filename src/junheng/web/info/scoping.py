"""The one place that decides which rows a user may see or change.

Every view and API route gets its querysets through :func:`scoped`; an id in a URL
is always looked up inside the user's scope, so changing it cannot reach another
unit's data (the lookup simply finds nothing: 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model, Q, QuerySet

from .models import (
    City,
    CityReview,
    County,
    CountyRecord,
    EvaluationRun,
    Evidence,
    Province,
    ProvinceTarget,
    Role,
    School,
    SchoolRecord,
)

M = TypeVar("M", bound=Model)
Actor = User | AnonymousUser
"""Whoever makes a request: a signed-in user or an anonymous visitor."""

# How each model reaches its county (None: the model is above the county level)
_TO_COUNTY: dict[type[Model], str] = {
    County: "",
    School: "county",
    SchoolRecord: "school__county",
    CountyRecord: "county",
    Evidence: "county",
    EvaluationRun: "county",
    CityReview: "county",
}
_TO_SCHOOL: dict[type[Model], str] = {School: "", SchoolRecord: "school"}


def register(model: type[Model], to_county: str, to_school: str | None = None) -> None:
    """Put another app's model under the same scoping: ``to_county`` is the lookup path from the
    model to its County (e.g. ``"survey__county"``); ``to_school`` lets school users see their
    own school's rows. Apps call this from ``AppConfig.ready``."""
    _TO_COUNTY[model] = to_county
    if to_school is not None:
        _TO_SCHOOL[model] = to_school


@dataclass(frozen=True, slots=True)
class Scope:
    role: str
    unit: str

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def may(self, action: str) -> bool:
        """Actions by role; which *rows* an action applies to is :func:`scoped`'s job."""
        allowed = {
            Role.SCHOOL: {"edit_school", "submit"},
            Role.COUNTY: {"edit_school", "review", "edit_county", "evaluate", "import", "evidence"},
            Role.CITY: {"city_review"},
            Role.PROVINCE: {"targets"},
            Role.ADMIN: {"edit_school", "submit", "review", "edit_county", "evaluate", "import",
                         "evidence", "city_review", "targets"},
        }  # fmt: skip
        return action in allowed.get(Role(self.role), set()) if self.role else False


NOBODY = Scope("", "")


def scope_of(user: Actor) -> Scope:
    if not user.is_authenticated:
        return NOBODY
    if getattr(user, "is_superuser", False):
        return Scope(Role.ADMIN, "")
    profile = getattr(user, "profile", None)
    if profile is None:
        return NOBODY
    return Scope(profile.role, profile.unit_code)


def _path(prefix: str, field: str) -> str:
    return f"{prefix}__{field}" if prefix else field


def scoped(user: Actor, qs: QuerySet[M]) -> QuerySet[M]:
    """*qs* narrowed to the rows *user* may see."""
    scope = scope_of(user)
    model: Any = qs.model
    if scope.is_admin:
        return qs
    if not scope.role:
        return qs.none()
    if model in (Province, City, ProvinceTarget):
        field = {Province: "code", City: "province__code", ProvinceTarget: "province__code"}[model]
        if scope.role == Role.PROVINCE:
            return qs.filter(**{field: scope.unit})
        if scope.role == Role.CITY and model is City:
            return qs.filter(code=scope.unit)
        return qs.none()
    if model not in _TO_COUNTY:
        return qs.none()
    county = _TO_COUNTY[model]
    if scope.role == Role.SCHOOL:
        if model not in _TO_SCHOOL:
            return qs.none()
        return qs.filter(**{_path(_TO_SCHOOL[model], "code"): scope.unit})
    lookup = {
        Role.COUNTY: _path(county, "code"),
        Role.CITY: _path(county, "city__code"),
        Role.PROVINCE: _path(county, "city__province__code"),
    }[Role(scope.role)]
    return qs.filter(Q(**{lookup: scope.unit}))
