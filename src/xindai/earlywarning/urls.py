from django.urls import path

from xindai.earlywarning import views

app_name = "earlywarning"

urlpatterns = [
    path("", views.warning_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/take/", views.take, name="take"),
    path("<int:pk>/note/", views.note, name="note"),
    path("<int:pk>/close/", views.close, name="close"),
    path("loans/<int:loan_pk>/revaluation/", views.revaluation, name="revaluation"),
]
