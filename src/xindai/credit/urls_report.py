"""Routes of the credit app (namespace ``credit``) added with the investigation (issue 6): the
credit limit with the collateral register and the guarantors, and the investigation report."""

from django.urls import path

from xindai.credit import views

urlpatterns = [
    path("applications/<int:pk>/limit/", views.limit_page, name="limit"),
    path(
        "applications/<int:pk>/limit/collateral/",
        views.limit_collateral,
        name="limit_collateral",
    ),
    path(
        "applications/<int:pk>/guarantors/<int:guarantor>/capacity/",
        views.guarantor_capacity,
        name="guarantor_capacity",
    ),
    path("applications/<int:pk>/report/", views.report_page, name="report"),
    path("applications/<int:pk>/report/preview/", views.report_preview, name="report_preview"),
    path("applications/<int:pk>/report/finalise/", views.report_finalise, name="report_finalise"),
    path(
        "applications/<int:pk>/report/<int:version>/<str:fmt>/",
        views.report_download,
        name="report_download",
    ),
]
