from django.urls import path

from xindai.marketing import views_campaigns as views

urlpatterns: list = [
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/action/", views.campaign_action, name="campaign_action"),
    path("campaigns/<int:pk>/targets/", views.campaign_targets, name="campaign_targets"),
    path("targets/<int:pk>/reassign/", views.target_reassign, name="target_reassign"),
    path("materials/", views.material_list, name="materials"),
    path("materials/<int:pk>/", views.material_detail, name="material"),
]
