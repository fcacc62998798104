"""Routes of the credit app (namespace ``credit``) added with the investigation (issue 6)."""

from typing import Any

from django.urls import path

from xindai.credit import views

INVESTIGATION = "applications/<int:pk>/investigation/"

urlpatterns: list[Any] = [
    path(INVESTIGATION, views.investigation_page, name="investigation"),
    path(f"{INVESTIGATION}record/", views.investigation_save, name="investigation_save"),
    path(f"{INVESTIGATION}files/", views.investigation_upload, name="investigation_upload"),
    path(f"{INVESTIGATION}files/<int:file>/", views.investigation_file, name="investigation_file"),
    path(
        f"{INVESTIGATION}soft-info/", views.investigation_soft_info, name="investigation_soft_info"
    ),
    path(f"{INVESTIGATION}confirm/", views.investigation_confirm, name="investigation_confirm"),
]
