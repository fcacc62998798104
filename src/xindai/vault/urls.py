from django.urls import path

from xindai.vault import views

app_name = "vault"
urlpatterns = [
    path("", views.items, name="items"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/release/", views.request_release, name="request_release"),
    path(
        "movements/<int:pk>/approve/",
        views.decide,
        {"decision": "approve"},
        name="approve_release",
    ),
    path("movements/<int:pk>/refuse/", views.decide, {"decision": "refuse"}, name="refuse_release"),
    path("applications/<int:pk>/", views.panel, name="panel"),
    path(
        "applications/<int:pk>/collateral/<int:collateral_pk>/register/",
        views.register,
        name="register",
    ),
    path("registrations/<int:pk>/receive/", views.receive, name="receive"),
    path("off-balance/", views.off_balance, name="off_balance"),
    path("off-balance/export/", views.off_balance_export, name="off_balance_export"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
]
