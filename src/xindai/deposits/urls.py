from django.urls import path

from xindai.deposits import views

app_name = "deposits"
urlpatterns = [
    path("", views.accounts, name="accounts"),
    path("<int:pk>/", views.account, name="account"),
    path("<int:pk>/cash-in/", views.cash, {"direction": "in"}, name="cash_in"),
    path("<int:pk>/cash-out/", views.cash, {"direction": "out"}, name="cash_out"),
]
