from django.urls import path

from . import views

urlpatterns = [
    path("county/<str:code>/<int:year>/survey/", views.survey_page, name="survey"),
    path(
        "county/<str:code>/<int:year>/survey/download/<str:what>/",
        views.survey_download,
        name="survey_download",
    ),
    path(
        "county/<str:code>/<int:year>/survey/<str:action>/",
        views.survey_action,
        name="survey_action",
    ),
    path("s/<str:code>/", views.answer, name="survey_answer"),
]
