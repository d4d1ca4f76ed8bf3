from django.contrib.auth import views as auth_views
from django.urls import path

from .api import api
from .views import county_data, entry, files, pages, reports

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="info/login.html"), name="login"),
    path("logout/", pages.logout_page, name="logout"),
    path("", pages.home, name="home"),
    path("county/<str:code>/<int:year>/", pages.county_page, name="county"),
    path("county/<str:code>/<int:year>/data/", county_data.county_edit, name="county_edit"),
    path("county/<str:code>/<int:year>/start/", county_data.start_year, name="start_year"),
    path("county/<str:code>/<int:year>/evaluate/", entry.evaluate_action, name="evaluate"),
    path("county/<str:code>/<int:year>/review/", entry.city_review, name="city_review"),
    path("county/<str:code>/<int:year>/export/", files.export_county, name="export"),
    path("county/<str:code>/<int:year>/evidence/", files.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", files.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", files.evidence_delete, name="evidence_delete"),
    path("city/<str:code>/<int:year>/", pages.city_page, name="city"),
    path("province/<str:code>/<int:year>/", pages.province_page, name="province"),
    path("province/<str:code>/targets/", county_data.province_target, name="province_target"),
    path("province/<str:code>/standard/", county_data.province_standard, name="province_standard"),
    path("school/<str:code>/<int:year>/", entry.school_edit, name="school_edit"),
    path("school/<str:code>/<int:year>/validate/", entry.school_validate, name="school_validate"),
    path("school/<str:code>/<int:year>/<str:action>/", entry.record_action, name="record_action"),
    path("import/", files.import_page, name="import"),
    path("import/confirm/", files.import_confirm, name="import_confirm"),
    path(
        "county/<str:code>/<int:year>/report/<str:fmt>/",
        reports.county_report,
        name="county_report",
    ),
    path(
        "city/<str:code>/<int:year>/overview/<str:fmt>/",
        reports.city_overview,
        name="city_overview",
    ),
    path(
        "province/<str:code>/<int:year>/overview/<str:fmt>/",
        reports.province_overview,
        name="province_overview",
    ),
    path("api/", api.urls),
]
