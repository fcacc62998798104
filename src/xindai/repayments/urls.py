from django.urls import path

from xindai.repayments import views

app_name = "repayments"
urlpatterns = [
    path("", views.counter, name="counter"),
    path("loans/<int:pk>/", views.loan_page, name="loan"),
    path("<int:pk>/", views.receipt, name="receipt"),
    path("<int:pk>/reversal/", views.reversal_request, name="reversal_request"),
    path("reversals/", views.reversals, name="reversals"),
    path("reversals/<int:pk>/approve/", views.approve, name="approve"),
    path("reversals/<int:pk>/reject/", views.reject, name="reject"),
]
