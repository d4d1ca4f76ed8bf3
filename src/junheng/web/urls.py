from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("ledger/", include("junheng.web.ledger.urls")),
    path("creation/", include("junheng.web.creation.urls")),
    path("monitoring/", include("junheng.web.monitoring.urls")),
    path("", include("junheng.web.survey.urls")),
    path("", include("junheng.web.info.urls")),
]
