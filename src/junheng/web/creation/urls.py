from django.urls import path

app_name = "creation"
urlpatterns: list[object] = []
