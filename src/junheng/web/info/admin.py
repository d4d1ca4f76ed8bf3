"""Django admin for the system administrator: units, users' roles, records with history."""

from __future__ import annotations

from django.contrib import admin
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
    School,
    SchoolRecord,
    UserProfile,
)

admin.site.site_header = "均衡 · 系统管理"
admin.site.site_title = "均衡"


@admin.register(Province, City, County)
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
