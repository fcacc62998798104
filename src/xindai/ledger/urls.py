from django.urls import path

from xindai.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.trial_balance, name="trial_balance"),
    path("reconciliation/", views.reconcile, name="reconciliation"),
]
