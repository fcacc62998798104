from django.urls import include, path

from xindai.loans import views, views_accounts

app_name = "loans"
urlpatterns = [
    path("calculator/", views.calculator_page, name="calculator"),
    path("calculator/export/", views.calculator_export, name="calculator_export"),
    path("imports/", include("xindai.loans.urls_import")),
    path("eod/", include("xindai.loans.urls_eod")),
    path("disbursements/", views_accounts.disbursement_queue, name="queue"),
    path("applications/<int:pk>/disburse/", views_accounts.disburse_page, name="disburse"),
    path("accounts/", views_accounts.account_list, name="accounts"),
    path("accounts/<int:pk>/", views_accounts.account_detail, name="account"),
    path("accounts/<int:pk>/use-of-funds/", views_accounts.use_report, name="use_report"),
]
