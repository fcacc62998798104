from django.urls import path

from xindai.marketing import views_village as views

urlpatterns: list = [
    path("village/", views.rosters, name="rosters"),
    path("village/template.xlsx", views.roster_template, name="roster_template"),
    path("village/campaigns/<int:pk>/import/", views.roster_import, name="roster_import"),
    path("village/<int:pk>/", views.roster, name="roster"),
    path("village/<int:pk>/weights/", views.roster_weights, name="roster_weights"),
    path("village/<int:pk>/publish/", views.roster_publish, name="roster_publish"),
    path("village/<int:pk>/public/", views.roster_public, name="roster_public"),
    path(
        "village/<int:pk>/public.<str:fmt>",
        views.roster_public_export,
        name="roster_public_export",
    ),
    path("village/<int:pk>/convert/", views.roster_convert, name="roster_convert"),
    path(
        "village/households/<int:pk>/decision/",
        views.household_decision,
        name="household_decision",
    ),
]
