"""Django admin for the system administrator: units, users' roles, records with history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

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
    UserProfile,
)

admin.site.site_header = "均衡 · 系统管理"
admin.site.site_title = "均衡"
admin.site.index_title = "系统管理"
admin.site.empty_value_display = "空"

UNIT_MODELS: dict[str, type[models.Model]] = {
    Role.SCHOOL: School, Role.COUNTY: County, Role.CITY: City, Role.PROVINCE: Province,
}  # fmt: skip


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    """A role's unit code must name an existing unit of that level."""

    class Meta:
        model = UserProfile
        fields = ("role", "unit_code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, code = data.get("role"), (data.get("unit_code") or "").strip()
        unit_model = UNIT_MODELS.get(role or "")
        if unit_model is not None:
            if not code:
                self.add_error("unit_code", "请填写所属单位代码")
            elif not unit_model._default_manager.filter(code=code).exists():
                level = unit_model._meta.verbose_name
                self.add_error("unit_code", f"没有代码为“{code}”的{level}，请核对后填写")
        data["unit_code"] = code
        return data


class ProfileInline(admin.StackedInline):  # type: ignore[type-arg]
    model = UserProfile
    form = ProfileForm
    can_delete = False
    extra = 1
    max_num = 1
    verbose_name = verbose_name_plural = "角色与所属单位"


class UserWithRoleAdmin(UserAdmin):  # type: ignore[type-arg]
    """Creating a user and giving them a role and unit is one screen."""

    inlines = (ProfileInline,)
    add_form_template = "info/admin_user_add.html"
    list_display = ("username", "role", "unit", "is_active", "last_login")
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
    )

    @admin.display(description="角色")
    def role(self, obj: User) -> str:
        profile = getattr(obj, "profile", None)
        return (
            profile.get_role_display()
            if profile
            else ("系统管理员" if obj.is_superuser else "未分配")
        )

    @admin.display(description="所属单位")
    def unit(self, obj: User) -> str:
        profile = getattr(obj, "profile", None)
        return profile.unit_code if profile and profile.unit_code else "—"


admin.site.unregister(User)
admin.site.register(User, UserWithRoleAdmin)


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "standard")
    search_fields = ("code", "name")


@admin.register(City, County)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "county", "opened_year", "closed_year", "merged_into")
    list_filter = ("county",)
    search_fields = ("code", "name")


@admin.register(SchoolRecord)
class SchoolRecordAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("school", "year", "status", "version", "updated_at")
    list_filter = ("year", "status", "school__county")
    search_fields = ("school__code", "school__name")


@admin.register(CountyRecord)
class CountyRecordAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("county", "year", "status", "version", "updated_at")
    list_filter = ("year", "status")


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ProfileForm
    list_display = ("user", "role", "unit_code")
    list_filter = ("role",)


@admin.register(EvaluationRun)
class EvaluationRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "county",
        "year",
        "standard",
        "recognised",
        "locked",
        "created_by",
        "created_at",
    )
    list_filter = ("year", "recognised", "locked")


admin.site.register([Evidence, CityReview, ProvinceTarget])
