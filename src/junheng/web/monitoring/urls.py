from django.urls import path

app_name = "monitoring"
urlpatterns: list[object] = []
