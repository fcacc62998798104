from django.urls import path

from xindai.analysis import views

app_name = "analysis"

urlpatterns = [
    path("customers/<int:customer_id>/", views.customer_page, name="customer"),
    path("customers/<int:customer_id>/statements/new/", views.statement_edit, name="statement_new"),
    path(
        "customers/<int:customer_id>/statements/<int:pk>/",
        views.statement_edit,
        name="statement_edit",
    ),
    path("customers/<int:customer_id>/template/", views.template_download, name="template"),
    path("customers/<int:customer_id>/import/", views.excel_import, name="import"),
]
