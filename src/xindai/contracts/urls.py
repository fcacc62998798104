from django.urls import path

from xindai.contracts import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("templates/", views.template_list, name="templates"),
    path("applications/<int:pk>/", views.application_contracts, name="application"),
    path("applications/<int:pk>/generate/", views.generate, name="generate"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/download/", views.download, name="download"),
]
