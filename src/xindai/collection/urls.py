from django.urls import path

from . import views

app_name = "collection"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("mine/", views.my_cases, name="mine"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/assign/", views.assign, name="assign"),
    path("cases/<int:pk>/close/", views.close, name="close"),
    path("cases/<int:pk>/restructure/", views.restructure, name="restructure"),
    path("cases/<int:pk>/writeoff/", views.writeoff, name="writeoff"),
    path("approvals/", views.approvals, name="approvals"),
    path(
        "restructurings/<int:pk>/approve/",
        views.restructuring_approve,
        name="restructuring_approve",
    ),
    path(
        "restructurings/<int:pk>/reject/", views.restructuring_reject, name="restructuring_reject"
    ),
    path("writeoffs/<int:pk>/approve/", views.writeoff_approve, name="writeoff_approve"),
    path("writeoffs/<int:pk>/reject/", views.writeoff_reject, name="writeoff_reject"),
    path("alerts/", views.alerts, name="alerts"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
