from django.urls import path

from xindai.notices import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/docx/", views.download, name="download"),
    path("<int:pk>/deliver/", views.deliver, name="deliver"),
    path("<int:pk>/receipt/", views.receipt, name="receipt"),
    path("loans/<int:loan_pk>/issue/", views.issue, name="issue"),
]
