from django.urls import path

from . import views

urlpatterns = [
    path("county/<str:code>/<int:year>/plan/", views.plan_page, name="plan"),
    path("county/<str:code>/<int:year>/plan/ledger/", views.plan_to_ledger, name="plan-ledger"),
]
