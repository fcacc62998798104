from django.urls import path

from xindai.postloan import views

app_name = "postloan"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("unit/", views.unit, name="unit"),
    path("compliance/", views.dashboard, name="compliance"),
    path("<int:pk>/", views.task_page, name="task"),
    path("<int:pk>/record/", views.record, name="record"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
]
