from django.urls import path

from xindai.dashboard import views

app_name = "dashboard"
urlpatterns = [path("", views.workbench, name="workbench")]
