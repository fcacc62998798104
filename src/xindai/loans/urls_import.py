from django.urls import path

from xindai.loans import views_import

urlpatterns = [
    path("", views_import.import_page, name="import"),
    path("template/", views_import.import_template, name="import_template"),
    path("errors.xlsx", views_import.import_errors, name="import_errors"),
    path("errors.json", views_import.import_errors_json, name="import_errors_json"),
]
