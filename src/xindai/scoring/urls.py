from django.urls import path

from xindai.scoring import views

app_name = "scoring"

urlpatterns = [
    path("", views.customer_list, name="customers"),
    path("customers/<int:pk>/", views.customer_detail, name="customer"),
    path("grades/", views.grades, name="grades"),
    path("models/", views.model_list, name="models"),
    path("models/<int:pk>/", views.model_detail, name="model"),
    path("models/<int:pk>/decide/", views.model_decide, name="model_decide"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/report/", views.import_report, name="import_report"),
    path("runs/", views.runs, name="runs"),
]
