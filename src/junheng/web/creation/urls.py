from django.urls import path

from . import views

app_name = "creation"
urlpatterns = [
    path("county/<str:code>/plan/", views.set_plan, name="set_plan"),
    path("county/<str:code>/chain/", views.chain_page, name="chain"),
    path("<str:level>/<str:code>/", views.plan_page, name="plan"),
    path("<str:level>/<str:code>/export/", views.export_plan, name="export"),
]
