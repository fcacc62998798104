from django.urls import path

from xindai.classification import views

app_name = "classification"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("loans/<int:pk>/", views.loan_page, name="loan"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<int:pk>/first/", views.approve_first, name="approve_first"),
    path("proposals/<int:pk>/final/", views.approve_final, name="approve_final"),
    path("proposals/<int:pk>/reject/", views.reject, name="reject"),
    path("quarterly/", views.quarterly, name="quarterly"),
    path("quarterly/<int:pk>/progress/", views.quarterly_progress, name="quarterly_progress"),
    path("quality/", views.quality, name="quality"),
]
