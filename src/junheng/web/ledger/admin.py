from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LedgerItem, ResponsibleUnit


@admin.register(ResponsibleUnit)
class ResponsibleUnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "order")


@admin.register(LedgerItem)
class LedgerItemAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("county", "title", "unit", "deadline", "status")
    list_filter = ("status", "kind")
    readonly_fields = ("key", "source_run", "proof_run", "closed_at")
