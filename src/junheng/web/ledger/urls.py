from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("county/<str:code>/", views.county_ledger, name="county"),
    path("county/<str:code>/sync/", views.sync_county, name="sync"),
    path("county/<str:code>/export/", views.export_county, name="export"),
    path("item/<int:pk>/<str:action>/", views.item_action, name="item"),
    path("<str:level>/<str:code>/", views.region_ledger, name="region"),
    path("<str:level>/<str:code>/export/", views.export_region, name="export_region"),
]
