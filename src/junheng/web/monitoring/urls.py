from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("province/<str:code>/", views.province_page, name="province"),
    path("county/<str:code>/", views.county_page, name="county"),
]
