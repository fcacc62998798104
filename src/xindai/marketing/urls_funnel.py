from django.urls import path

from xindai.marketing import views_funnel

urlpatterns: list = [
    path("funnel/", views_funnel.funnel, name="funnel"),
    path("funnel/export/", views_funnel.funnel_export, name="funnel_export"),
]
