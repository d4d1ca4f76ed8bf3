from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("ledger/", include("junheng.web.ledger.urls")),
    path("creation/", include("junheng.web.creation.urls")),
    path("monitoring/", include("junheng.web.monitoring.urls")),
    path("", include("junheng.web.survey.urls")),
    path("", include("junheng.web.info.urls")),
    path("", include("junheng.web.planning.urls")),
    path("", include("junheng.web.ops.urls")),
]

handler400 = "junheng.web.info.views.errors.bad_request"
handler403 = "junheng.web.info.views.errors.permission_denied"
handler404 = "junheng.web.info.views.errors.page_not_found"
handler500 = "junheng.web.info.views.errors.server_error"
