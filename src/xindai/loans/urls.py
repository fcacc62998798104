from django.urls import include, path

from xindai.loans import views

app_name = "loans"
urlpatterns = [
    path("calculator/", views.calculator_page, name="calculator"),
    path("calculator/export/", views.calculator_export, name="calculator_export"),
    path("imports/", include("xindai.loans.urls_import")),
]
