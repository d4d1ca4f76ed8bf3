from django.urls import path

from . import views, workplan_views

app_name = "creation"
urlpatterns = [
    path("county/<str:code>/plan/", views.set_plan, name="set_plan"),
    path("county/<str:code>/chain/", views.chain_page, name="chain"),
    path("county/<str:code>/chain/<str:step>/", views.chain_action, name="chain_action"),
    path("county/<str:code>/snapshot/<int:pk>/", views.snapshot_page, name="snapshot"),
    path("county/<str:code>/recommend/", views.recommend_page, name="recommend"),
    path("county/<str:code>/recommend.<str:fmt_>", views.recommend_export, name="recommend_export"),
    path("county/<str:code>/workplan/", workplan_views.workplan_page, name="workplan"),
    path(
        "county/<str:code>/workplan/export/", workplan_views.workplan_export, name="workplan_export"
    ),
    path(
        "county/<str:code>/workplan/<str:action>/",
        workplan_views.workplan_action,
        name="workplan_action",
    ),
    path("<str:level>/<str:code>/workplans/", workplan_views.region_page, name="workplans"),
    path("<str:level>/<str:code>/", views.plan_page, name="plan"),
    path("<str:level>/<str:code>/export/", views.export_plan, name="export"),
]
