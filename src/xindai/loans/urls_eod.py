from django.urls import path

from xindai.loans import views_eod

urlpatterns = [
    path("", views_eod.eod_runs, name="eod_runs"),
]
